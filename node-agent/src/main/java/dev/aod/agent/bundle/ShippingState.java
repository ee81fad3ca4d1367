package dev.aod.agent.bundle;

import java.nio.file.Path;

/** Whether a bundle still waits to be shipped; retention asks before deleting. */
@FunctionalInterface
public interface ShippingState {
    ShippingState NOTHING_TO_SHIP = bundle -> false;

    boolean isPending(Path bundle);
}
