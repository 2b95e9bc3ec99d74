package org.seqlab.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Decodes PNG bytes the way a notebook front end would, and checks the size. */
final class Pngs {
    private Pngs() {
    }

    static BufferedImage decode(byte[] png, int width, int height) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertNotNull(img, "not a decodable PNG");
            assertEquals(width, img.getWidth(), "width");
            assertEquals(height, img.getHeight(), "height");
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
