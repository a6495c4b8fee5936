package org.sr2fhir.fhirclient;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.conn.HttpHostConnectException;

/**
 * Why the FHIR server could not be reached, in a few words (decision D74): HAPI's client wraps every network failure
 * in "HAPI-1361: Failed to parse response from server when performing ..." even when no response ever came; the
 * cause below it (from its Apache HttpClient) says what happened, e.g. "connection refused to http://host:8080".
 */
public final class ConnectionFailure {
    private ConnectionFailure() {
    }

    public static String describe(Throwable failure) {
        HttpHostConnectException connect = ExceptionUtils.throwableOfType(failure, HttpHostConnectException.class);
        if (connect != null) {
            String host = connect.getHost() == null ? "the server" : connect.getHost().toURI();
            ConnectException refused = ExceptionUtils.throwableOfType(connect.getCause(), ConnectException.class);
            return refused != null && String.valueOf(refused.getMessage()).toLowerCase().contains("refused")
                    ? "connection refused to " + host : "cannot connect to " + host + ": " + rootMessage(connect);
        }
        ConnectTimeoutException connectTimeout = ExceptionUtils.throwableOfType(failure, ConnectTimeoutException.class);
        if (connectTimeout != null) {
            return "connect timed out: " + connectTimeout.getMessage();
        }
        if (ExceptionUtils.throwableOfType(failure, SocketTimeoutException.class) != null) {
            return "no answer within the socket timeout (sr2fhir.fhir.socket-timeout)";
        }
        UnknownHostException unknownHost = ExceptionUtils.throwableOfType(failure, UnknownHostException.class);
        if (unknownHost != null) {
            return "unknown host " + unknownHost.getMessage();
        }
        return String.valueOf(failure.getMessage()).replaceFirst("^HAPI-\\d+: ", "");
    }

    private static String rootMessage(Throwable failure) {
        return ExceptionUtils.getRootCause(failure).getMessage();
    }

}
