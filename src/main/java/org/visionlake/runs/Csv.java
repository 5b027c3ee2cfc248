package org.visionlake.runs;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** RFC 4180 CSV of a few driver-side rows: header from the schema, fields quoted only where needed. */
final class Csv {
    private Csv() {}

    static String format(StructType schema, List<Row> rows) {
        StringBuilder out = new StringBuilder(String.join(",", schema.fieldNames())).append('\n');
        for (Row row : rows) {
            for (int i = 0; i < row.length(); i++) {
                out.append(i == 0 ? "" : ",").append(field(row.get(i)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String field(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        boolean quote = text.contains(",") || text.contains("\"") || text.contains("\n");
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
