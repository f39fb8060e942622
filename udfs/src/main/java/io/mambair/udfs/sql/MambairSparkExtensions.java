package io.mambair.udfs.sql;

import io.mambair.udfs.restore.ModelCache;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import scala.Function1;
import scala.Tuple3;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;


import java.util.List;

/**
 * Makes the {@link MambairFunctions} built-in in every session:
 * {@code --conf spark.sql.extensions=io.mambair.udfs.sql.MambairSparkExtensions}.
 */
public final class MambairSparkExtensions extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {

    @Override
    public BoxedUnit apply(SparkSessionExtensions extensions) {
        for (SqlFunction f : MambairFunctions.functions(MambairFunctions.DEFAULT_MAX_PIXELS, ModelCache.DEFAULT_MAX_SESSIONS)) {
            String name = f.name();
            // The builder takes scala.collection.Seq on Scala 2.12 and scala.collection.immutable.Seq on 2.13: typed as
            // Object so one source compiles for both (both are a scala.collection.Seq).
            Function1<Object, Expression> builder = new AbstractFunction1<>() {
                @Override
                public Expression apply(Object children) {
                    // Built when a query is analysed, so the session's pixel and session bounds apply.
                    SparkSession session = SparkSession.active();
                    long maxPixels = MambairFunctions.maxPixels(session);
                    SqlFunction current = MambairFunctions.functions(maxPixels, MambairFunctions.maxSessions(session)).stream()
                            .filter(g -> g.name().equals(name)).findFirst().orElseThrow();
                    @SuppressWarnings("unchecked")
                    List<Expression> args = JavaConverters.seqAsJavaList((Seq<Expression>) children);
                    if (name.endsWith("restore") && args.size() == 3 && args.get(2).foldable()) {
                        // Literal options are validated while the query is analysed: a bad option fails before any task runs.
                        MambairFunctions.spec(CatalystTypeConverters.convertToScala(args.get(2).eval(null), args.get(2).dataType()));
                    }
                    return ColumnExpressions.expression(session, current.udf().apply(
                            args.stream().map(ColumnExpressions::column).toArray(Column[]::new)));
                }
            };
            extensions.injectFunction(injection(FunctionIdentifier.apply(name),
                    new ExpressionInfo(MambairFunctions.class.getName(), null, name, f.usage(), ""), builder));
        }
        return BoxedUnit.UNIT;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Tuple3 injection(FunctionIdentifier id, ExpressionInfo info, Function1<Object, Expression> builder) {
        return new Tuple3(id, info, builder);
    }
}
