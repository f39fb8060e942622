package io.mambair.runtime.scan;

/**
 * Sizes of one selective-scan call: {@code u, delta, y} are (batch, channels, length), {@code A} is
 * (channels, states), {@code Bs, Cs} are (batch, groups, states, length); channel {@code d} reads group
 * {@code d / (channels / groups)}.
 */
public record ScanShape(int batch, int channels, int states, int groups, int length) {
    public ScanShape {
        if (batch < 0 || channels < 0 || states < 1 || groups < 1 || length < 0) {
            throw new IllegalArgumentException("invalid selective-scan shape " + this);
        }
        if (channels % groups != 0) {
            throw new IllegalArgumentException("groups " + groups + " must divide channels " + channels);
        }
    }

    /** Number of values in {@code u}, {@code delta} and {@code y}. */
    public int sequenceSize() {
        return Math.multiplyExact(Math.multiplyExact(batch, channels), length);
    }

    /** Number of values in {@code Bs} and in {@code Cs}. */
    public int groupedStateSize() {
        return Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(batch, groups), states), length);
    }

    /** Channels that share one group of {@code Bs} and {@code Cs}. */
    public int channelsPerGroup() {
        return channels / groups;
    }

    long[] sequenceDims() {
        return new long[] {batch, channels, length};
    }

    long[] stateMatrixDims() {
        return new long[] {channels, states};
    }

    long[] groupedStateDims() {
        return new long[] {batch, groups, states, length};
    }

    long[] channelDims() {
        return new long[] {channels};
    }
}
