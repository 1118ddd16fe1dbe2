package dev.gatehouse.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLHandshakeException;
import dev.gatehouse.routing.RequestForm;
import org.eclipse.jetty.io.EofException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailuresTest
{
    @Test
    void blamesPolicyRefusalsOnPolicyWhereverTheyAppear()
    {
        PolicyException tooLarge = new PolicyException(ErrorCode.PAYLOAD_TOO_LARGE, "too large");
        assertEquals(Failures.Blame.POLICY, Failures.blame(new IOException("aborted", tooLarge), null, false));
        assertEquals(Failures.Blame.POLICY, Failures.blame(new IOException("aborted"), tooLarge, false));
    }

    @Test
    void blamesTheClientForItsOwnFailuresAndForTimeoutsWhileItsBodyIsStillComing()
    {
        assertEquals(Failures.Blame.CLIENT, Failures.blame(new EOFException("early EOF"), new EOFException("client"), true));
        assertEquals(Failures.Blame.CLIENT, Failures.blame(new TimeoutException("idle"), null, false));
        assertEquals(Failures.Blame.UPSTREAM, Failures.blame(new TimeoutException("idle"), null, true));
        assertEquals(Failures.Blame.UPSTREAM, Failures.blame(new ConnectException("refused"), null, false),
            "a refused connection is the upstream's even while the body is still coming");
    }

    @Test
    void namesUpstreamFailuresWithAFixedVocabulary()
    {
        assertEquals("connect", Failures.kind(new IOException(new ConnectException("Connection refused"))));
        assertEquals("timeout", Failures.kind(new TimeoutException()));
        assertEquals("reset", Failures.kind(new IOException("Connection reset by peer")));
        assertEquals("closed", Failures.kind(new EofException()));
        assertEquals("tls", Failures.kind(new SSLHandshakeException("bad certificate")));
        assertEquals("other", Failures.kind(new IllegalStateException("?")));
    }

    @Test
    void recognisesAbsoluteFormWithAnyScheme()
    {
        assertTrue(RequestForm.isAbsoluteForm("http://a/x"));
        assertTrue(RequestForm.isAbsoluteForm("HTTPS://a/x"));
        assertTrue(RequestForm.isAbsoluteForm("ftp://a/x"));
        assertTrue(RequestForm.isAbsoluteForm("svn+ssh://a/x"));
        assertFalse(RequestForm.isAbsoluteForm("/x"));
        assertFalse(RequestForm.isAbsoluteForm("*"));
        assertFalse(RequestForm.isAbsoluteForm("example.com:443"));
        assertFalse(RequestForm.isAbsoluteForm("1http://a/"));
        assertTrue(RequestForm.isHttpScheme("HTTP"));
        assertFalse(RequestForm.isHttpScheme("ws"));
    }
}
