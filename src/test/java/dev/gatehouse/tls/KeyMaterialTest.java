package dev.gatehouse.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Arrays;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.support.Certificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyMaterialTest
{
    @TempDir
    Path dir;

    private Path write(String name, String content) throws Exception
    {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void readsPkcs8Keys() throws Exception
    {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"})
        {
            KeyPair pair = KeyPairGenerator.getInstance(algorithm).generateKeyPair();
            Path file = write(algorithm + ".pem", Certificates.pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            PrivateKey key = KeyMaterial.privateKey("tls.private-key", file);
            assertArrayEquals(pair.getPrivate().getEncoded(), key.getEncoded(), algorithm);
        }
    }

    @Test
    void readsPkcs1RsaKeys() throws Exception
    {
        KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        byte[] pkcs1 = innerOctetString(pkcs8);
        assertArrayEquals(pkcs8, Der.rsaPkcs1ToPkcs8(pkcs1), "re-wrapping gives the JDK's own encoding");
        Path file = write("rsa1.pem", "garbage before\n" + Certificates.pem("RSA PRIVATE KEY", pkcs1));
        assertArrayEquals(pkcs8, KeyMaterial.privateKey("tls.private-key", file).getEncoded());
    }

    @Test
    void explainsKeysItDoesNotRead() throws Exception
    {
        ConfigException sec1 = assertThrows(ConfigException.class, () -> KeyMaterial.privateKey("tls.private-key",
            write("ec.pem", Certificates.pem("EC PRIVATE KEY", new byte[] {1, 2, 3}))));
        assertEquals("tls.private-key", sec1.key());
        assertTrue(sec1.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), sec1.getMessage());
        ConfigException encrypted = assertThrows(ConfigException.class, () -> KeyMaterial.privateKey("tls.private-key",
            write("enc.pem", Certificates.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}))));
        assertTrue(encrypted.getMessage().contains("encrypted"), encrypted.getMessage());
        ConfigException none = assertThrows(ConfigException.class, () -> KeyMaterial.privateKey("tls.private-key",
            write("cert-only.pem", Certificates.pem("CERTIFICATE", new byte[] {1, 2, 3}))));
        assertTrue(none.getMessage().contains("holds no PEM private key"), none.getMessage());
    }

    @Test
    void encodesLongDerLengths()
    {
        byte[] value = new byte[300];
        byte[] tlv = Der.tlv(0x04, value);
        assertArrayEquals(new byte[] {0x04, (byte)0x82, 0x01, 0x2c}, Arrays.copyOf(tlv, 4));
        assertEquals(304, tlv.length);
    }

    /** The OCTET STRING at the end of a PKCS#8 PrivateKeyInfo: the PKCS#1 key. */
    private static byte[] innerOctetString(byte[] pkcs8)
    {
        int i = 1;
        i += lengthOfLength(pkcs8, i);
        i += 3;                               // version INTEGER 0
        i += 2 + (pkcs8[i + 1] & 0xFF);       // AlgorithmIdentifier (short form)
        i += 1;                               // OCTET STRING tag
        int header = lengthOfLength(pkcs8, i);
        return Arrays.copyOfRange(pkcs8, i + header, pkcs8.length);
    }

    private static int lengthOfLength(byte[] der, int at)
    {
        int b = der[at] & 0xFF;
        return b < 0x80 ? 1 : 1 + (b & 0x7F);
    }
}
