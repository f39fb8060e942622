package io.mambair.runtime.engine;

import ai.onnxruntime.OrtException;
import io.mambair.runtime.graph.ScanFormulation;
import io.mambair.runtime.model.ResolvedModel;
import io.mambair.runtime.restore.Restorer;
import io.mambair.runtime.restore.TiledRestorer;

/** A model's open session with the restorer over it: what a {@link SessionPool} holds. */
public record ModelSession(InferenceSession session, Restorer restorer) {
    private static final int THREADS = Integer.getInteger("mambair.intraOpThreads", 0);

    /** Opens {@code model}'s {@code scan} graph on {@code device} ({@code mambair.intraOpThreads} threads, 0: ORT's default). */
    public static ModelSession open(ResolvedModel model, ScanFormulation scan, Device device) {
        try {
            InferenceSession session = InferenceSession.open(model.graph(scan), scan, device, THREADS);
            return new ModelSession(session, new TiledRestorer(new SessionTileModel(session), model.config(),
                    session.device(), scan.label()));
        } catch (OrtException e) {
            throw new IllegalStateException("could not start ONNX Runtime for model " + model.name() + ": " + e.getMessage(), e);
        }
    }
}
