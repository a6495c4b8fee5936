package org.sr2fhir.journal;

import java.time.Clock;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** Journals for tests without Spring: an H2 database in memory, migrated by the application's Flyway scripts. */
public final class TestJournals {
    private TestJournals() {
    }

    /** A test's own database, kept while the JVM runs, with the journal's schema. */
    public static DataSource database() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:journal-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).load().migrate();
        return dataSource;
    }

    public static ReportJournal inMemory() {
        return new ReportJournal(database(), Clock.systemUTC());
    }
}
