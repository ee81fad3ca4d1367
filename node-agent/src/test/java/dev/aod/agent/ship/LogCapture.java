package dev.aod.agent.ship;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/** Everything logged while it is attached, formatted as it would be printed (with stack traces). */
final class LogCapture implements AutoCloseable {
    private static final Pattern NEXT_ATTEMPT = Pattern.compile("next attempt in ([0-9.]+) (s|min)");
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
        appender.start();
        root.addAppender(appender);
    }

    List<String> lines() {
        synchronized (appender.list) {
            return appender.list.stream().map(e -> e.getLoggerName() + " " + e.getLevel() + " " + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
                    .toList();
        }
    }

    /** The delays the outbox announced after each failed attempt, in seconds. */
    List<Double> retryDelays() {
        return lines().stream().map(NEXT_ATTEMPT::matcher).filter(Matcher::find)
                .map(m -> Double.parseDouble(m.group(1)) * (m.group(2).equals("min") ? 60 : 1)).toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
    }
}
