package org.sr2fhir.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.LoggingSystem;

/**
 * Logging of the one-shot commands (decision D72): everything to stderr, WARN and above unless {@code --verbose}
 * (then INFO), so stdout carries only the per-input result lines and the summary. Spring Boot's own logging set-up is
 * turned off for the command's settings context, which would otherwise log to stdout at application.yaml's levels.
 * Called only by {@code main}: it reconfigures the whole JVM's logging.
 */
public final class CliLogging {
    private CliLogging() {
    }

    public static void toStandardError(boolean verbose) {
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{30}: %msg%n");
        encoder.start();
        ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(verbose ? Level.INFO : Level.WARN);
        // HAPI's context and model scanning are chatty at INFO even when asked for INFO (as in application.yaml)
        context.getLogger("ca.uhn.fhir").setLevel(Level.WARN);
        // the command prints a bad setting itself, in one line (D73): not again as Spring Boot's start-up report
        context.getLogger("org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter").setLevel(Level.OFF);
        context.getLogger("org.springframework.context.annotation.AnnotationConfigApplicationContext").setLevel(Level.ERROR);
    }
}
