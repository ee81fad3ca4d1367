package dev.aod.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelFactsTest {
    @TempDir
    Path proc;

    @Test
    void moduleFunctionsComeFromKallsyms() throws IOException {
        Files.writeString(proc.resolve("kallsyms"), """
                ffffffff81000000 T _stext
                ffffffffc0a1b2c0 t cifs_strict_readv\t[cifs]
                ffffffffc0a1b300 T cifs_getattr\t[cifs]
                ffffffffc0a1b400 d cifs_file_ops\t[cifs]
                ffffffffc0b00000 t nfs_file_read\t[nfs]
                """);
        KernelFacts kernel = new KernelFacts(proc, proc.resolve("module"));

        assertThat(kernel.hasFunction("cifs", "cifs_strict_readv")).isTrue();
        assertThat(kernel.hasFunction("cifs", "cifs_getattr")).isTrue();
        assertThat(kernel.hasFunction("cifs", "cifs_file_ops")).as("data, not a function").isFalse();
        assertThat(kernel.hasFunction("cifs", "nfs_file_read")).isFalse();
        assertThat(kernel.hasFunction("nfs", "nfs_file_read")).isTrue();
    }

    @Test
    void modulesAreDirectoriesOfSysModule() throws IOException {
        Files.createDirectories(proc.resolve("module/cifs"));
        KernelFacts kernel = new KernelFacts(proc, proc.resolve("module"));

        assertThat(kernel.hasModule("cifs")).isTrue();
        assertThat(kernel.hasModule("nfs")).isFalse();
    }
}
