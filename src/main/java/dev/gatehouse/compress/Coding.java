package dev.gatehouse.compress;

/** A content coding Gatehouse can produce, with its {@code Content-Encoding} token. */
public enum Coding
{
    BROTLI("br"), GZIP("gzip"), IDENTITY("identity");

    private final String token;

    Coding(String token)
    {
        this.token = token;
    }

    public String token()
    {
        return token;
    }
}
