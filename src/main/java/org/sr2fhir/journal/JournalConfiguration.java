package org.sr2fhir.journal;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.sr2fhir.config.DataDirProperties;
import org.sr2fhir.config.Sr2FhirProperties;

/**
 * The journal's database ({@code sr2fhir.journal.url}, an H2 file in {@code sr2fhir.data-dir} by default) and its retention. The
 * schema is migrated by Spring Boot's Flyway auto-configuration ({@code classpath:db/migration}) before first use;
 * Spring Boot's {@code db} health indicator reports the connection.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class JournalConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(JournalConfiguration.class);

    @Bean(destroyMethod = "close")
    public HikariDataSource journalDataSource(Sr2FhirProperties properties, DataDirProperties dataDir) {
        Sr2FhirProperties.Journal settings = properties.journal();
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setPoolName("journal");
        // decision D71: by default in the data folder, with the other state
        dataSource.setJdbcUrl(settings.url() != null && !settings.url().isBlank() ? settings.url() : dataDir.h2JournalUrl());
        dataSource.setUsername(settings.username());
        dataSource.setPassword(settings.password());
        dataSource.setMaximumPoolSize(4);
        return dataSource;
    }

    @Bean
    public ReportJournal reportJournal(DataSource journalDataSource) {
        return new ReportJournal(journalDataSource, Clock.systemUTC());
    }

    @Bean
    public RetentionPruner journalRetentionPruner(ReportJournal journal, Sr2FhirProperties properties) {
        return new RetentionPruner(journal, properties.journal().retention(), Clock.systemUTC());
    }

    /** Deletes the rows older than {@code sr2fhir.journal.retention}, once an hour in the background. */
    public static class RetentionPruner {
        private final ReportJournal journal;
        private final Duration retention;
        private final Clock clock;

        RetentionPruner(ReportJournal journal, Duration retention, Clock clock) {
            this.journal = journal;
            this.retention = retention;
            this.clock = clock;
        }

        @Scheduled(initialDelay = 60_000, fixedDelay = 3_600_000)
        public void prune() {
            if (retention.isZero()) {
                return;
            }
            try {
                int deleted = journal.prune(clock.instant().minus(retention));
                if (deleted > 0) {
                    LOG.info("journal: deleted {} report(s) older than {}", deleted, retention);
                }
            } catch (RuntimeException e) {
                LOG.warn("journal: pruning failed: {}", e.getMessage());
            }
        }
    }
}
