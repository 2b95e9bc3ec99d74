package org.seqlab.io;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A stand-in for a save in progress in another process: creates the file, locks it as
 * {@link ModelFile} does while writing, prints "locked" and waits to be killed.
 */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock();
        System.out.println(lock.isValid() ? "locked" : "not locked");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
