package io.mambair.job.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The declared schemas of the row files and the images table follow the record, column for column. */
class ImageRowTest {
    private static final Map<Class<?>, org.apache.spark.sql.types.DataType> TYPES = Map.of(String.class, DataTypes.StringType,
            Integer.class, DataTypes.IntegerType, Long.class, DataTypes.LongType, Double.class, DataTypes.DoubleType,
            Boolean.class, DataTypes.BooleanType);

    @Test
    void rowFileSchemaDeclaresEveryComponentInOrderWithItsType() {
        RecordComponent[] components = ImageRow.class.getRecordComponents();
        assertEquals(components.length, ImageRow.SCHEMA.fields().length);
        for (int i = 0; i < components.length; i++) {
            assertEquals(components[i].getName(), ImageRow.SCHEMA.fields()[i].name());
            assertEquals(TYPES.get(components[i].getType()), ImageRow.SCHEMA.fields()[i].dataType(), components[i].getName());
        }
    }

    @Test
    void scanFollowsDeviceAndTheTableEndsWithItsPartitionColumn() {
        List<String> row = List.of(ImageRow.SCHEMA.fieldNames());
        assertEquals(row.indexOf("device") + 1, row.indexOf("scan"));
        List<String> table = List.of(ImagesTable.SCHEMA.fieldNames());
        List<String> expected = new ArrayList<>(row);
        expected.remove("run_id");
        expected.set(expected.indexOf("finished_at_ms"), "finished_at");
        expected.add("run_id");
        assertEquals(expected, table);
        assertEquals(DataTypes.TimestampType, ImagesTable.SCHEMA.apply("finished_at").dataType());
    }

    @Test
    void theReadmeShowsTheNewestPerImageQueryTheTestsRun() throws Exception {
        String readme = java.nio.file.Files.readString(io.mambair.job.RepositoryFiles.resolve("README.md"));
        org.junit.jupiter.api.Assertions.assertTrue(readme.contains(ImagesTable.NEWEST_PER_IMAGE_SQL), "README quotes ImagesTable.NEWEST_PER_IMAGE_SQL");
    }

    @Test
    void builderAndJsonCarryEveryValueUnderItsColumnName() throws Exception {
        ImageRow row = new ImageRow.Builder().run_id("r").image_id("a/b.png").scale(4).psnr_y(31.5).self_ensemble(true)
                .scan("fused").finished_at_ms(7L).build();
        assertEquals(row, row.toBuilder().build());
        Map<?, ?> json = new ObjectMapper().readValue(new ObjectMapper().writeValueAsBytes(row), Map.class);
        Iterator<?> keys = json.keySet().iterator();
        for (String name : ImageRow.SCHEMA.fieldNames()) assertEquals(name, keys.next());
        assertEquals(31.5, json.get("psnr_y"));
        assertEquals(true, json.get("self_ensemble"));
        assertEquals("fused", json.get("scan"));
    }
}
