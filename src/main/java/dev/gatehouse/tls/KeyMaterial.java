package dev.gatehouse.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatehouse.config.ConfigException;

/**
 * Loads key material for TLS with the JDK alone: PKCS12 keystores, and PEM certificate chains
 * and private keys turned into an in-memory PKCS12 keystore (Jetty's SslContextFactory reads no
 * PEM). Every failure is a {@link ConfigException} naming the key and the file.
 */
public final class KeyMaterial
{
    /** The in-memory keystore's password: never written anywhere, random per process. */
    public static final String MEMORY_PASSWORD = randomPassword();
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final String CONVERT = "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem";

    private KeyMaterial()
    {
    }

    /** A PKCS12 file; a wrong password or a corrupt file names {@code passwordKey} or {@code fileKey}. */
    public static KeyStore pkcs12(String fileKey, Path file, String passwordKey, String password)
    {
        try (InputStream in = Files.newInputStream(file))
        {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password == null ? new char[0] : password.toCharArray());
            return ks;
        }
        catch (IOException x)
        {
            if (x.getCause() instanceof UnrecoverableKeyException || String.valueOf(x.getMessage()).contains("password"))
                throw new ConfigException(passwordKey, passwordKey + " does not open " + fileKey + " '" + file + "': wrong password");
            throw new ConfigException(fileKey, fileKey + " '" + file + "' is not a readable PKCS12 keystore: " + x.getMessage());
        }
        catch (GeneralSecurityException x)
        {
            throw new ConfigException(fileKey, fileKey + " '" + file + "' is not a readable PKCS12 keystore: " + x.getMessage());
        }
    }

    /** A keystore holding one private key entry ("gatehouse") built from PEM files, protected by {@link #MEMORY_PASSWORD}. */
    public static KeyStore pem(String certKey, Path certFile, String keyKey, Path keyFile)
    {
        List<Certificate> chain = certificates(certKey, certFile);
        if (chain.isEmpty())
            throw new ConfigException(certKey, certKey + " '" + certFile + "' holds no PEM certificate");
        PrivateKey key = privateKey(keyKey, keyFile);
        if (!belongTogether(key, chain.get(0)))
            throw new ConfigException(keyKey, keyKey + " '" + keyFile + "' is not the key of the first certificate in " + certKey + " '" + certFile + "'");
        try
        {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("gatehouse", key, MEMORY_PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
            return ks;
        }
        catch (IOException | GeneralSecurityException x)
        {
            throw new ConfigException(keyKey, "cannot build a keystore from " + certKey + " and " + keyKey + ": " + x.getMessage());
        }
    }

    /** A trust store holding every certificate of a PEM bundle. */
    public static KeyStore trustedPem(String key, Path file)
    {
        List<Certificate> certificates = certificates(key, file);
        if (certificates.isEmpty())
            throw new ConfigException(key, key + " '" + file + "' holds no PEM certificate");
        try
        {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < certificates.size(); i++)
                ks.setCertificateEntry("ca-" + i, certificates.get(i));
            return ks;
        }
        catch (IOException | GeneralSecurityException x)
        {
            throw new ConfigException(key, "cannot build a trust store from " + key + ": " + x.getMessage());
        }
    }

    static List<Certificate> certificates(String key, Path file)
    {
        try
        {
            byte[] bytes = Files.readAllBytes(file);
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
            return new ArrayList<>(certs);
        }
        catch (IOException | GeneralSecurityException x)
        {
            throw new ConfigException(key, key + " '" + file + "' is not a PEM certificate file: " + x.getMessage());
        }
    }

    static PrivateKey privateKey(String key, Path file)
    {
        String text;
        try
        {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        }
        catch (IOException x)
        {
            throw new ConfigException(key, key + " '" + file + "' cannot be read: " + x.getMessage());
        }
        Matcher m = PEM.matcher(text);
        while (m.find())
        {
            String type = m.group(1);
            byte[] der;
            try
            {
                der = Base64.getMimeDecoder().decode(m.group(2));
            }
            catch (IllegalArgumentException x)
            {
                throw new ConfigException(key, key + " '" + file + "' has a corrupt " + type + " block");
            }
            switch (type)
            {
                case "PRIVATE KEY":
                    return pkcs8(key, file, der);
                case "RSA PRIVATE KEY":
                    return pkcs8(key, file, Der.rsaPkcs1ToPkcs8(der));
                case "EC PRIVATE KEY":
                    throw new ConfigException(key, key + " '" + file + "' is a SEC1 'EC PRIVATE KEY'; " + CONVERT);
                case "ENCRYPTED PRIVATE KEY":
                    throw new ConfigException(key, key + " '" + file + "' is encrypted; Gatehouse reads unencrypted keys (protect the file instead); " + CONVERT);
                default:
                    // skip other blocks (EC PARAMETERS, certificates)
            }
        }
        throw new ConfigException(key, key + " '" + file + "' holds no PEM private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(String key, Path file, byte[] der)
    {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"))
        {
            try
            {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            }
            catch (GeneralSecurityException ignored)
            {
                // try the next algorithm
            }
        }
        throw new ConfigException(key, key + " '" + file + "' is not an RSA, EC or EdDSA private key");
    }

    /** Signs and verifies a probe: true when the key belongs to the certificate's public key. */
    static boolean belongTogether(PrivateKey key, Certificate certificate)
    {
        String algorithm = switch (key.getAlgorithm())
        {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> null;
            default -> key.getAlgorithm();
        };
        if (algorithm == null)
            return true;
        try
        {
            byte[] probe = "gatehouse".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        }
        catch (GeneralSecurityException x)
        {
            return false;
        }
    }

    private static String randomPassword()
    {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
