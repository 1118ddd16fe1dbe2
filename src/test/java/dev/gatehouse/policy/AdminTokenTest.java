package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdminTokenTest
{
    private static final String TOKEN = "s3cr3t-t0ken";

    @Test
    void acceptsTheConfiguredBearerToken()
    {
        assertTrue(AdminToken.matches(TOKEN, "Bearer " + TOKEN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bearer ", "BEARER ", "BeArEr ", "  Bearer   "})
    void schemeIsCaseInsensitiveAndSpacesAreTolerated(String prefix)
    {
        assertTrue(AdminToken.matches(TOKEN, prefix + TOKEN + " "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearer s3cr3t-t0ke", "Bearer s3cr3t-t0ken2", "Bearer S3CR3T-T0KEN",
        "Basic s3cr3t-t0ken", "Bearers3cr3t-t0ken", "s3cr3t-t0ken", "Bearer s3cr3t t0ken", "Token s3cr3t-t0ken"})
    void rejectsWrongTokensAndSchemes(String header)
    {
        assertFalse(AdminToken.matches(TOKEN, header), header);
    }

    @Test
    void rejectsMissingHeader()
    {
        assertFalse(AdminToken.matches(TOKEN, null));
    }

    @Test
    void noConfiguredTokenDisablesAdminActions()
    {
        assertFalse(AdminToken.matches(null, "Bearer "));
        assertFalse(AdminToken.matches(null, "Bearer anything"));
        assertFalse(AdminToken.matches("", "Bearer "));
        assertFalse(AdminToken.matches("", "Bearer"));
        assertFalse(AdminToken.matches("", null));
    }

    @Test
    void comparesNonAsciiTokensByUtf8Bytes()
    {
        assertTrue(AdminToken.matches("clé-🔑", "Bearer clé-🔑"));
        assertFalse(AdminToken.matches("clé-🔑", "Bearer cle-🔑"));
    }
}
