package io.mambair.udfs.codec;

import java.io.IOException;

/** An image could not be decoded: unknown format, malformed or truncated data, or an unsupported colour model. */
public class ImageDecodeException extends IOException {
    public ImageDecodeException(String message) { super(message); }
    public ImageDecodeException(String message, Throwable cause) { super(message, cause); }
}
