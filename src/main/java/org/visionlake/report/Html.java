package org.visionlake.report;

/** Escaping for text that comes from data (class names, file names, run names) before it enters HTML or SVG. */
public final class Html {
    private Html() {}

    /** Escapes the five characters that can change the meaning of HTML or XML text and attribute values. */
    public static String escape(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
