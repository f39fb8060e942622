package io.mambair.udfs.codec;

/** The header declares more pixels than the configured bound; no pixel buffer was allocated. */
public final class ImageTooLargeException extends ImageDecodeException {
    public ImageTooLargeException(String message) { super(message); }
}
