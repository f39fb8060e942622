package io.mambair.udfs.sql;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Converts between Catalyst expressions and columns on Spark 3.5 ({@code new Column(expr)}, {@code column.expr()})
 * and Spark 4.x ({@code classic.ExpressionUtils.column(expr)}, {@code classic.SparkSession.expression(column)}).
 * Looked up by reflection, once, because no public API spans both lines and one source tree builds for both.
 */
final class ColumnExpressions {
    private static final String SPARK4_UTILS = "org.apache.spark.sql.classic.ExpressionUtils";
    private static final String SPARK4_SESSION = "org.apache.spark.sql.classic.SparkSession";
    private static final boolean SPARK4 = present(SPARK4_UTILS);
    private static final MethodHandle TO_COLUMN = toColumn();
    private static final MethodHandle TO_EXPRESSION = toExpression();

    private ColumnExpressions() {}

    /** The column of an expression. */
    static Column column(Expression expression) {
        try {
            return (Column) TO_COLUMN.invoke(expression);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The expression of a column, converted by {@code session} (Spark 4 resolves functions such as UDFs there). */
    static Expression expression(SparkSession session, Column column) {
        try {
            return SPARK4 ? (Expression) TO_EXPRESSION.invoke(session, column) : (Expression) TO_EXPRESSION.invoke(column);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MethodHandle toColumn() {
        try {
            return SPARK4
                    ? MethodHandles.publicLookup().findStatic(load(SPARK4_UTILS), "column", MethodType.methodType(Column.class, Expression.class))
                    : MethodHandles.publicLookup().findConstructor(Column.class, MethodType.methodType(void.class, Expression.class));
        } catch (ReflectiveOperationException e) {
            throw unsupported(e);
        }
    }

    private static MethodHandle toExpression() {
        try {
            return SPARK4
                    ? MethodHandles.publicLookup().findVirtual(load(SPARK4_SESSION), "expression", MethodType.methodType(Expression.class, Column.class))
                            .asType(MethodType.methodType(Expression.class, SparkSession.class, Column.class))
                    : MethodHandles.publicLookup().findVirtual(Column.class, "expr", MethodType.methodType(Expression.class));
        } catch (ReflectiveOperationException e) {
            throw unsupported(e);
        }
    }

    private static boolean present(String className) {
        try {
            load(className);
            return true;
        } catch (ClassNotFoundException e) {
            return false;  // Spark 3.x
        }
    }

    private static Class<?> load(String className) throws ClassNotFoundException {
        return Class.forName(className, false, Column.class.getClassLoader());
    }

    private static IllegalStateException unsupported(ReflectiveOperationException e) {
        return new IllegalStateException("unsupported Spark version: no Column <-> Expression conversion found", e);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
