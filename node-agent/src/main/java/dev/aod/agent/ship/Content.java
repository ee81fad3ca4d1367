package dev.aod.agent.ship;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What is uploaded: a file (read in place, slice by slice, so a large bundle never sits in memory) or
 * a few bytes (the manifest).
 */
record Content(Path file, byte[] bytes, long size) {

    static Content of(Path file, long size) {
        return new Content(file, null, size);
    }

    static Content of(byte[] bytes) {
        return new Content(null, bytes, bytes.length);
    }

    List<Chunk> chunks(int chunkSize) {
        List<Chunk> chunks = new ArrayList<>();
        long offset = 0;
        int index = 0;
        do {
            int length = (int) Math.min(chunkSize, size - offset);
            chunks.add(new Chunk(this, index++, offset, length));
            offset += length;
        } while (offset < size);
        return chunks;
    }

    /** A slice of the content; {@link #open()} may be called again for a retry. */
    record Chunk(Content content, int index, long offset, int length) {

        InputStream open() throws IOException {
            if (content.bytes() != null) {
                return new ByteArrayInputStream(content.bytes(), (int) offset, length);
            }
            FileChannel channel = FileChannel.open(content.file(), StandardOpenOption.READ).position(offset);
            return new Bounded(Channels.newInputStream(channel), length);
        }

        InputStream openUnchecked() {
            try {
                return open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] md5() throws IOException {
            java.security.MessageDigest md5 = LocalBundle.digest("MD5");
            try (InputStream in = open()) {
                byte[] buffer = new byte[256 << 10];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    md5.update(buffer, 0, n);
                }
            }
            return md5.digest();
        }
    }

    private static final class Bounded extends FilterInputStream {
        private long left;

        Bounded(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, left));
            left -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), left);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
