package io.mambair.job.execute;

import java.io.IOException;

/**
 * Reading or writing the file system failed for a reason that is not the image's own (an
 * unreachable store after the file system's configured retries, a failed write): the task fails
 * and Spark retries it, instead of recording a spurious error row for the image.
 */
public final class StorageFailure extends RuntimeException {
    public StorageFailure(String what, IOException cause) {
        super(what + ": " + cause, cause);
    }
}
