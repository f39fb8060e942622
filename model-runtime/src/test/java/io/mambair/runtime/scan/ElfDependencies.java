package io.mambair.runtime.scan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a 64-bit little-endian ELF shared library needs from the dynamic loader: its NEEDED libraries (.dynamic)
 * and the symbol versions it requires per library (.gnu.version_r). Written here because no maintained Java
 * library reads ELF version needs, and these two tables are about a hundred lines.
 */
record ElfDependencies(int machine, List<String> needed, List<VersionNeed> versions) {
    static final int EM_X86_64 = 62;
    static final int EM_AARCH64 = 183;
    private static final int SHT_DYNAMIC = 6;
    private static final int SHT_GNU_VERNEED = 0x6ffffffe;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;

    /** One required symbol version, e.g. {@code GLIBC_2.14} from {@code libc.so.6}. */
    record VersionNeed(String file, String version) {}

    static ElfDependencies read(Path file) throws IOException {
        ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.limit() < 64 || elf.getInt(0) != 0x464c457f) throw new IOException(file + " is not an ELF file");
        if (elf.get(4) != 2 || elf.get(5) != 1) throw new IOException(file + " is not a 64-bit little-endian ELF file");
        int machine = Short.toUnsignedInt(elf.getShort(18));
        long sectionTable = elf.getLong(0x28);
        int entrySize = Short.toUnsignedInt(elf.getShort(0x3a));
        int sections = Short.toUnsignedInt(elf.getShort(0x3c));
        List<String> needed = new ArrayList<>();
        List<VersionNeed> versions = new ArrayList<>();
        for (int i = 0; i < sections; i++) {
            Section s = Section.at(elf, sectionTable + (long) i * entrySize);
            if (s.type == SHT_DYNAMIC) {
                Section strings = Section.at(elf, sectionTable + (long) s.link * entrySize);
                for (long at = s.offset; at + 16 <= s.offset + s.size; at += 16) {
                    long tag = elf.getLong(Math.toIntExact(at));
                    if (tag == DT_NULL) break;
                    if (tag == DT_NEEDED) needed.add(string(elf, strings, elf.getLong(Math.toIntExact(at + 8))));
                }
            } else if (s.type == SHT_GNU_VERNEED) {
                Section strings = Section.at(elf, sectionTable + (long) s.link * entrySize);
                long need = s.offset;
                for (int n = 0; n < s.info; n++) {
                    int at = Math.toIntExact(need);
                    int count = Short.toUnsignedInt(elf.getShort(at + 2));
                    String library = string(elf, strings, Integer.toUnsignedLong(elf.getInt(at + 4)));
                    long aux = need + Integer.toUnsignedLong(elf.getInt(at + 8));
                    for (int k = 0; k < count; k++) {
                        int a = Math.toIntExact(aux);
                        versions.add(new VersionNeed(library, string(elf, strings, Integer.toUnsignedLong(elf.getInt(a + 8)))));
                        aux += Integer.toUnsignedLong(elf.getInt(a + 12));
                    }
                    need += Integer.toUnsignedLong(elf.getInt(at + 12));
                }
            }
        }
        return new ElfDependencies(machine, List.copyOf(needed), List.copyOf(versions));
    }

    private record Section(int type, long offset, long size, int link, int info) {
        static Section at(ByteBuffer elf, long header) {
            int h = Math.toIntExact(header);
            return new Section(elf.getInt(h + 4), elf.getLong(h + 24), elf.getLong(h + 32), elf.getInt(h + 40),
                    elf.getInt(h + 44));
        }
    }

    private static String string(ByteBuffer elf, Section table, long index) {
        int start = Math.toIntExact(table.offset + index);
        int end = start;
        while (elf.get(end) != 0) end++;
        byte[] bytes = new byte[end - start];
        elf.get(start, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
