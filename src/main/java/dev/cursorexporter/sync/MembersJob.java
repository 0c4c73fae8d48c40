package dev.cursorexporter.sync;

import dev.cursorexporter.cursor.CursorApi;
import dev.cursorexporter.model.Member;
import dev.cursorexporter.model.Source;

import java.util.List;

/** {@code GET /teams/members}: the current members, stored as a whole. */
final class MembersJob implements SourceJob {
    private final CursorApi api;

    MembersJob(CursorApi api) {
        this.api = api;
    }

    @Override
    public Source source() {
        return Source.MEMBERS;
    }

    @Override
    public String run(JobContext context) {
        List<Member> members = api.members();
        context.store().saveMembers(context.account(), members, context.now());
        return members.size() + " members";
    }
}
