package dev.cursorexporter.cursor;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Follows one paged call: false while another page is plausible; fails (the window is then not committed, and the
 * poll is retried after its back-off) rather than follow a server that never ends: past the pages the first answer
 * declared (plus one, for growth while paging), past {@link CursorClient#MAX_PAGES}, or when a page repeats the one
 * before it. One per call, so the clients stay thread-safe.
 */
final class PageGuard {
    private final String call;
    private final String path;
    private final int pageSize;
    private long declared;
    private List<?> previous;

    /** @param method the HTTP method, for the message ({@code GET}, {@code POST}) */
    PageGuard(String method, String path, int pageSize) {
        this.call = method + " " + path;
        this.path = path;
        this.pageSize = pageSize;
    }

    /**
     * @param items what page {@code page} held (parsed and accepted)
     * @return false: another page may follow (never true; the call's own end test decides that)
     * @throws CursorApiException when the pagination does not advance or does not end
     */
    boolean last(int page, JsonNode root, List<?> items) {
        if (page == 1) {
            declared = Pagination.declaredPages(root, pageSize);
        }
        if (!items.isEmpty() && items.equals(previous)) {
            throw new CursorApiException(path, 0, call + ": page " + page + " repeats page " + (page - 1)
                    + "; pagination does not advance", null);
        }
        previous = items;
        long cap = declared > 0 ? Math.min(declared + 1, CursorClient.MAX_PAGES) : CursorClient.MAX_PAGES;
        if (page < cap) {
            return false;
        }
        throw new CursorApiException(path, 0, call + ": pagination did not end after " + page + " pages"
                + (declared > 0 ? " (the first answer declared " + declared + ")" : ""), null);
    }
}
