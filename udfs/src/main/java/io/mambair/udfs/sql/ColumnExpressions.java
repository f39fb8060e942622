package io.mambair.udfs.sql;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.Expression;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Converts between Catalyst expressions and columns on Spark 3.5 ({@code new Column(expr)}, {@code column.expr()})
 * and Spark 4.x ({@code org.apache.spark.sql.classic.ExpressionUtils}). Looked up by reflection, once, because no
 * public API spans both lines and the job builds one source tree for both.
 */
final class ColumnExpressions {
    private static final String SPARK4_UTILS = "org.apache.spark.sql.classic.ExpressionUtils";
    private static final MethodHandle TO_COLUMN = handle(true);
    private static final MethodHandle TO_EXPRESSION = handle(false);

    private ColumnExpressions() {}

    /** The column of an expression. */
    static Column column(Expression expression) {
        try {
            return (Column) TO_COLUMN.invoke(expression);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The expression of a column. */
    static Expression expression(Column column) {
        try {
            return (Expression) TO_EXPRESSION.invoke(column);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MethodHandle handle(boolean toColumn) {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            Class<?> utils = loadSpark4Utils();
            if (utils != null) {
                return toColumn ? lookup.findStatic(utils, "column", MethodType.methodType(Column.class, Expression.class))
                        : lookup.findStatic(utils, "expression", MethodType.methodType(Expression.class, Column.class));
            }
            return toColumn ? lookup.findConstructor(Column.class, MethodType.methodType(void.class, Expression.class))
                    : lookup.findVirtual(Column.class, "expr", MethodType.methodType(Expression.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("unsupported Spark version: no Column <-> Expression conversion found", e);
        }
    }

    private static Class<?> loadSpark4Utils() {
        try {
            return Class.forName(SPARK4_UTILS, false, Column.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;  // Spark 3.x
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
