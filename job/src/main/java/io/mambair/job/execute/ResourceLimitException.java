package io.mambair.job.execute;

/** An image needs more of a configured resource bound than the bound allows; the image becomes an error row. */
public final class ResourceLimitException extends RuntimeException {
    public ResourceLimitException(String message) { super(message); }
}
