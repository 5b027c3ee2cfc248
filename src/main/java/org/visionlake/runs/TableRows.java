package org.visionlake.runs;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Driver-side table rows as plain JSON values and back, so that a checkpoint can carry the rows of a run so far. */
public final class TableRows {
    private TableRows() {}

    public static List<List<Object>> toJson(List<Row> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (Row row : rows) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < row.length(); i++) {
                values.add(row.get(i));
            }
            out.add(values);
        }
        return out;
    }

    /** Rows of {@code schema} from {@link #toJson} output; JSON numbers come back as the schema's types. */
    public static List<Row> fromJson(StructType schema, List<?> rows) {
        List<Row> out = new ArrayList<>();
        for (Object row : rows) {
            List<?> values = (List<?>) row;
            Object[] typed = new Object[values.size()];
            for (int i = 0; i < typed.length; i++) {
                typed[i] = typed(schema.fields()[i].dataType(), values.get(i));
            }
            out.add(RowFactory.create(typed));
        }
        return out;
    }

    private static Object typed(DataType type, Object value) {
        if (value instanceof String text && type.equals(DataTypes.DoubleType)) {
            return Double.parseDouble(text); // NaN and the infinities travel as strings in JSON
        }
        if (!(value instanceof Number number)) {
            return value;
        }
        if (type.equals(DataTypes.IntegerType)) {
            return number.intValue();
        }
        if (type.equals(DataTypes.LongType)) {
            return number.longValue();
        }
        if (type.equals(DataTypes.DoubleType)) {
            return number.doubleValue();
        }
        return value;
    }
}
