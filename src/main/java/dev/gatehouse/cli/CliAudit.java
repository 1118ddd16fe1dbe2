package dev.gatehouse.cli;

import dev.gatehouse.policy.SecurityLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log of the CLI: one INFO line when a run starts and one when it ends, on the logger
 * {@value CliService#AUDIT_LOGGER}. Arguments are masked by {@code cli.redact-args}; every
 * client-supplied field is escaped (see {@link SecurityLog#escape}).
 */
final class CliAudit
{
    private static final Logger AUDIT = LoggerFactory.getLogger(CliService.AUDIT_LOGGER);

    private CliAudit()
    {
    }

    static void started(Run run, CommandPolicy policy, long pid)
    {
        AUDIT.info("cli run started run_id={} client={} command={} pid={} args=\"{}\" detach={}", run.id,
            SecurityLog.escape(run.client), run.invocation.command().name(), pid,
            SecurityLog.escape(policy.redact(run.invocation.args())), run.detach);
    }

    static void finished(Run run, CommandPolicy policy)
    {
        AUDIT.info("cli run finished run_id={} client={} command={} args=\"{}\" exit_code={} reason={} duration_ms={} bytes_out={}",
            run.id, SecurityLog.escape(run.client), run.invocation.command().name(),
            SecurityLog.escape(policy.redact(run.invocation.args())), run.exitCode(), run.reason(), run.durationMs(), run.outputBytes());
    }
}
