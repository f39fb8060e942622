package io.mambair.job.output;

import java.io.IOException;

/** An output would be written outside the output root (through a symbolic link); the image becomes an error row. */
public final class UnsafeOutputPathException extends IOException {
    public UnsafeOutputPathException(String message) { super(message); }
}
