package dev.aod.agent.ship;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class S3ShipIT extends ShipDrills {
    @Override
    StoreServer server(Path tmp) throws Exception {
        return new S3ProxyServer();
    }

    @Test
    void drillWrongCredentialsIsAClearErrorAndTheBundleIsKept() throws Exception {
        wrongCredentialsDrill();
    }
}
