package org.visionlake.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.visionlake.nativecpu.NativeBackend;

/**
 * Picks the ND4J native build and thread count before the first test class loads ND4J, exactly as the CLI's main
 * does, so tests run the same kernels as the product (registered through META-INF/services).
 */
public final class NativeBackendSessionListener implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NativeBackend.configure();
    }
}
