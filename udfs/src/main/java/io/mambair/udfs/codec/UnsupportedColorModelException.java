package io.mambair.udfs.codec;

/** The image is well formed but uses a colour model this project does not convert (CMYK, YCCK, float samples...). */
public final class UnsupportedColorModelException extends ImageDecodeException {
    public UnsupportedColorModelException(String message) { super(message); }
}
