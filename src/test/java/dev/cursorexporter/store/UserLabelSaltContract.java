package dev.cursorexporter.store;

import dev.cursorexporter.model.Secret;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The hash user label's stored salt (V15), whatever the database: the first one stored is kept across restarts and
 * never generated again, concurrent first starts agree on one, and only a replacement changes it.
 * {@link SqliteUserLabelSaltTest}, {@link PostgresUserLabelSaltContractTest}.
 */
abstract class UserLabelSaltContract extends StoreFixture {

    @Test
    void theFirstSaltIsStoredAndEveryLaterStartReadsItWithoutGeneratingAnother() {
        assertEquals(Optional.empty(), store.userLabelSalts().current());
        StoredSalt first = store.userLabelSalts().getOrCreate(() -> new Secret("first-salt_SECRET"));
        assertTrue(first.created());
        assertEquals("first-salt_SECRET", first.salt().reveal());

        reopen();
        StoredSalt again = store.userLabelSalts().getOrCreate(() -> fail("a stored salt is not generated again"));
        assertFalse(again.created());
        assertEquals("first-salt_SECRET", again.salt().reveal());
        assertEquals(first.createdAt(), again.createdAt());
        assertEquals(Optional.of("first-salt_SECRET"), store.userLabelSalts().current().map(s -> s.salt().reveal()));
    }

    @Test
    void onlyAReplacementChangesTheStoredSalt() {
        store.userLabelSalts().getOrCreate(() -> new Secret("old_SECRET"));
        StoredSalt replaced = store.userLabelSalts().replace(new Secret("new_SECRET"));
        assertEquals("new_SECRET", replaced.salt().reveal());
        reopen();
        StoredSalt read = store.userLabelSalts().getOrCreate(() -> fail("replaced, not missing"));
        assertEquals("new_SECRET", read.salt().reveal());
        assertEquals(replaced.createdAt(), read.createdAt());
    }

    @Test
    void aReplacementOnAStoreWithoutASaltStoresOne() {
        store.userLabelSalts().replace(new Secret("only_SECRET"));
        assertEquals("only_SECRET", store.userLabelSalts().getOrCreate(() -> fail("stored")).salt().reveal());
    }

    @Test
    void anEmptySaltIsRefusedAndNothingIsStored() {
        assertThrows(IllegalArgumentException.class, () -> store.userLabelSalts().getOrCreate(() -> new Secret("")));
        assertThrows(IllegalArgumentException.class, () -> store.userLabelSalts().replace(new Secret("")));
        assertEquals(Optional.empty(), store.userLabelSalts().current());
    }

    @Test
    void exportersStartingAtOnceOnOneDatabaseAllGetTheFirstSaltStored() throws Exception {
        int starts = 4;
        List<SqliteStore> stores = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(starts);
        try {
            for (int i = 0; i < starts; i++) {
                stores.add(openStore());
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<StoredSalt>> results = new ArrayList<>();
            for (int i = 0; i < starts; i++) {
                SqliteStore s = stores.get(i);
                String mine = "salt-" + i + "_SECRET";
                results.add(pool.submit(() -> {
                    go.await();
                    return s.userLabelSalts().getOrCreate(() -> new Secret(mine));
                }));
            }
            go.countDown();
            List<String> salts = new ArrayList<>();
            int created = 0;
            for (Future<StoredSalt> r : results) {
                StoredSalt salt = r.get(60, TimeUnit.SECONDS);
                salts.add(salt.salt().reveal());
                created += salt.created() ? 1 : 0;
            }
            assertEquals(1, created, "exactly one start stored its salt");
            assertEquals(1, salts.stream().distinct().count(), "every start got the same salt: " + salts);
            assertEquals(salts.get(0), store.userLabelSalts().current().orElseThrow().salt().reveal());
        } finally {
            pool.shutdownNow();
            stores.forEach(SqliteStore::close);
        }
    }

    @Test
    void theStoredSaltNeverShowsInItsRecordsText() {
        StoredSalt salt = store.userLabelSalts().getOrCreate(() -> new Secret("visible_SECRET"));
        assertFalse(salt.toString().contains("visible_SECRET"), salt.toString());
    }
}
