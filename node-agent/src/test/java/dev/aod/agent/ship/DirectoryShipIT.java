package dev.aod.agent.ship;

import java.nio.file.Path;

class DirectoryShipIT extends ShipDrills {
    @Override
    StoreServer server(Path tmp) {
        return new DirectoryServer(tmp);
    }

    @Override
    String expectedDownError() {
        return "is the volume mounted?";
    }
}
