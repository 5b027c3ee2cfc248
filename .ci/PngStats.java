import java.awt.image.BufferedImage;
import java.io.File;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** Prints a screenshot's size, distinct colours and non-white share; exits 1 when it is blank. */
public class PngStats {
    public static void main(String[] args) throws Exception {
        BufferedImage image = ImageIO.read(new File(args[0]));
        if (image == null) {
            System.err.println("not a readable image: " + args[0]);
            System.exit(1);
        }
        Set<Integer> colours = new HashSet<>();
        long nonWhite = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    nonWhite++;
                }
            }
        }
        double share = (double) nonWhite / ((long) image.getWidth() * image.getHeight());
        System.out.printf("screenshot %dx%d, %d colours, %.1f%% non-white%n", image.getWidth(), image.getHeight(),
                colours.size(), 100 * share);
        System.exit(colours.size() > 50 && share > 0.02 ? 0 : 1);
    }
}
