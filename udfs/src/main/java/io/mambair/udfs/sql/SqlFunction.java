package io.mambair.udfs.sql;

import org.apache.spark.sql.expressions.UserDefinedFunction;

/** One SQL function: its name, the UDF behind it and a one-line usage. */
public record SqlFunction(String name, UserDefinedFunction udf, String usage) {}
