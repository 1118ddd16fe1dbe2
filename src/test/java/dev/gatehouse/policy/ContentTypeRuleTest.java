package dev.gatehouse.policy;

import java.util.List;

import dev.gatehouse.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentTypeRuleTest
{
    private final ContentTypeRule rule = ContentTypeRule.of("filter.blocked-content-types",
        List.of("application/x-msdownload", "application/x-sh.*"));

    @Test
    void blocksExactTypesIgnoringParametersAndCase()
    {
        assertTrue(rule.blocks("application/x-msdownload"));
        assertTrue(rule.blocks("Application/X-MSDownload; name=setup.exe"));
        assertFalse(rule.blocks("application/json"));
        assertFalse(rule.blocks(null));
    }

    @Test
    void blocksByRegularExpressionOverTheWholeType()
    {
        assertTrue(rule.blocks("application/x-shellscript"));
        assertTrue(rule.blocks("application/x-sh"));
        assertFalse(rule.blocks("text/application/x-sh"), "the expression must match the whole media type");
    }

    @Test
    void rejectsEntriesThatAreNeitherTypesNorExpressions()
    {
        assertThrows(ConfigException.class, () -> ContentTypeRule.of("k", List.of("exe")));
        assertThrows(ConfigException.class, () -> ContentTypeRule.of("k", List.of("application/(unclosed")));
        assertTrue(ContentTypeRule.of("k", List.of()).isEmpty());
    }
}
