package org.diffusionplayground.app.export;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.function.IntFunction;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/** An animated GIF that loops, written frame by frame with the JDK's own GIF writer. */
public final class Gif {

    private Gif() {
    }

    /**
     * @param frame  frame i (each drawn when it is written, so a long run never sits in memory whole)
     * @param delays hundredths of a second each frame stays
     * @param done   told after each frame how many are written; may throw to stop (e.g. cancelled)
     */
    public static void write(OutputStream out, int frames, IntFunction<BufferedImage> frame, IntFunction<Integer> delays,
                             java.util.function.IntConsumer done) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
        if (!writers.hasNext()) throw new IOException("this Java runtime has no GIF writer");
        ImageWriter writer = writers.next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < frames; i++) {
                BufferedImage image = frame.apply(i);
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
                configure(meta, delays.apply(i), i == 0);
                writer.writeToSequence(new IIOImage(image, null, meta), null);
                done.accept(i + 1);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    /** The frame's delay, and on the first frame the NETSCAPE2.0 block that makes viewers loop forever. */
    private static void configure(IIOMetadata meta, int delay, boolean first) throws IOException {
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(delay));
        control.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0}); // loop count 0: forever
            child(root, "ApplicationExtensions").appendChild(app);
        }
        meta.setFromTree(format, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) return (IIOMetadataNode) root.item(i);
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }
}
