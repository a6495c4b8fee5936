package org.sr2fhir.dicom;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads the DICOM JSON Model (PS3.18 Annex F) into the same {@link DicomDataset} model as Part 10.
 * <p>
 * DS and IS written as JSON numbers stay exact: Jackson parses floats as BigDecimal (decision D13) and the value
 * kept is {@code BigDecimal.toString()} of the number as written, so {@code 3.111220E+04} becomes "31112.20" —
 * the same number, compared with BigDecimal.compareTo, not the same characters. DS/IS written as JSON strings are
 * kept verbatim. Text is already Unicode, so (0008,0005) is kept but not applied.
 */
final class DicomJsonReader {
    private static final BigDecimal UNSIGNED_64_MAX = new BigDecimal("18446744073709551615");
    private static final BigDecimal SIGNED_64_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final Pattern TAG_KEY = Pattern.compile("[0-9A-Fa-f]{8}");
    /** JSON levels per sequence level: element object, "Value" array, item object. */
    private static final int JSON_LEVELS_PER_SEQUENCE = 3;

    private final ReadLimits limits;
    private final ObjectMapper mapper;

    DicomJsonReader(ReadLimits limits) {
        this.limits = limits;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(JSON_LEVELS_PER_SEQUENCE * (limits.maxDepth() + 2))
                        .build())
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES) // 31112.20 stays 31112.20 (D13)
                .build();
    }

    DicomDataset read(byte[] content, String source) throws DicomReadException {
        JsonNode root;
        try {
            root = mapper.readTree(content);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + " column "
                    + e.getLocation().getColumnNr();
            throw new DicomReadException(source, "invalid DICOM JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DicomReadException(source, "unreadable DICOM JSON: " + e.getMessage(), e);
        }
        if (root != null && root.isArray()) {
            // a QIDO/WADO-style array; one input is one SR, so exactly one dataset is accepted
            if (root.size() != 1) {
                throw new DicomReadException(source, "DICOM JSON array holds " + root.size()
                        + " datasets; exactly one is expected");
            }
            root = root.get(0);
        }
        if (root == null || !root.isObject()) {
            throw new DicomReadException(source, "DICOM JSON must be an object (or an array of one object)");
        }
        Context context = new Context(source);
        DicomDataset dataset = readDataset(root, "$", 0, context);
        context.warnings.forEach(dataset::addWarning);
        return dataset;
    }

    /** Per-input state: the source label, the element count and the warnings (each once). */
    private static final class Context {
        final String source;
        final Set<String> warnings = new LinkedHashSet<>();
        int elements;

        Context(String source) {
            this.source = source;
        }
    }

    private DicomDataset readDataset(JsonNode node, String path, int depth, Context context)
            throws DicomReadException {
        DicomDataset dataset = new DicomDataset();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            String elementPath = path + "." + key;
            if (!TAG_KEY.matcher(key).matches()) {
                throw new DicomReadException(context.source, "invalid tag key '" + abbreviate(key) + "' at " + path);
            }
            if (++context.elements > limits.maxElements()) {
                throw new DicomReadException(context.source, "more than " + limits.maxElements()
                        + " data elements (at " + elementPath + ")");
            }
            int tag = Integer.parseUnsignedInt(key, 16);
            if ((tag & 0xFFFF) == 0) {
                continue; // group length: never needed (PS3.5 §7.2)
            }
            if (!field.getValue().isObject()) {
                throw new DicomReadException(context.source, "element " + Tag.toString(tag) + " at " + elementPath
                        + " is not a JSON object");
            }
            dataset.put(readElement(tag, field.getValue(), elementPath, depth, context));
        }
        return dataset;
    }

    private DicomElement readElement(int tag, JsonNode node, String path, int depth, Context context)
            throws DicomReadException {
        VR vr = vrOf(tag, node.get("vr"), path, context);
        JsonNode value = node.get("Value");
        JsonNode inline = node.get("InlineBinary");
        JsonNode bulk = node.get("BulkDataURI");
        if (bulk != null && !bulk.isNull()) {
            return new DicomElement(tag, vr, new DicomElement.BulkData(bulk.asText()));
        }
        if (inline != null && !inline.isNull()) {
            return new DicomElement(tag, vr, inlineBinary(tag, vr, inline, path, context));
        }
        List<JsonNode> values = new ArrayList<>();
        if (value != null && !value.isNull()) {
            if (value.isArray()) {
                value.forEach(values::add);
            } else {
                // the IG's own example writes a bare string for (0008,0050): tolerated (PS3.18 F.2.4 wants an array)
                context.warnings.add("Value of " + Tag.toString(tag) + " at " + path + " is not an array");
                values.add(value);
            }
        }
        return new DicomElement(tag, vr, decodeValues(tag, vr, values, path, depth, context));
    }

    private static VR vrOf(int tag, JsonNode vrNode, String path, Context context) throws DicomReadException {
        if (vrNode == null || vrNode.isNull()) {
            VR vr = ElementDictionary.vrOf(tag);
            context.warnings.add("element " + Tag.toString(tag) + " at " + path + " has no vr; " + vr + " assumed");
            return vr;
        }
        VR vr = VR.parse(vrNode.asText());
        if (vr == null) {
            throw new DicomReadException(context.source, "invalid vr '" + abbreviate(vrNode.asText()) + "' of "
                    + Tag.toString(tag) + " at " + path);
        }
        return vr;
    }

    private Object decodeValues(int tag, VR vr, List<JsonNode> values, String path, int depth, Context context)
            throws DicomReadException {
        if (vr == VR.SQ) {
            if (depth + 1 > limits.maxDepth()) {
                throw new DicomReadException(context.source, "sequences nested deeper than " + limits.maxDepth()
                        + " levels (at " + path + ")");
            }
            List<DicomDataset> items = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                JsonNode item = values.get(i);
                String itemPath = path + ".Value[" + i + "]";
                if (item.isNull()) {
                    items.add(new DicomDataset());
                } else if (item.isObject()) {
                    items.add(readDataset(item, itemPath, depth + 1, context));
                } else {
                    throw new DicomReadException(context.source, "sequence item at " + itemPath + " is not an object");
                }
            }
            return items;
        }
        if (vr.isString()) {
            List<String> strings = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                strings.add(text(tag, vr, values.get(i), path + ".Value[" + i + "]", context));
            }
            return strings.size() == 1 && strings.get(0).isEmpty() ? List.of() : List.copyOf(strings);
        }
        return switch (vr) {
            case FL, FD, OF, OD -> {
                double[] doubles = new double[values.size()];
                for (int i = 0; i < doubles.length; i++) {
                    doubles[i] = number(tag, values.get(i), path + ".Value[" + i + "]", context).doubleValue();
                }
                yield doubles;
            }
            case US, UL, SS, SL, UV, SV, OL, OV -> {
                long[] longs = new long[values.size()];
                for (int i = 0; i < longs.length; i++) {
                    longs[i] = integer(tag, values.get(i), path + ".Value[" + i + "]", context);
                }
                yield longs;
            }
            case AT -> {
                int[] tags = new int[values.size()];
                for (int i = 0; i < tags.length; i++) {
                    String hex = values.get(i).asText();
                    if (!TAG_KEY.matcher(hex).matches()) {
                        throw new DicomReadException(context.source, "invalid AT value '" + abbreviate(hex) + "' at "
                                + path + ".Value[" + i + "]");
                    }
                    tags[i] = Integer.parseUnsignedInt(hex, 16);
                }
                yield tags;
            }
            default -> {
                if (!values.isEmpty()) {
                    throw new DicomReadException(context.source, "binary element " + Tag.toString(tag) + " of VR " + vr
                            + " at " + path + " has a Value instead of InlineBinary or BulkDataURI");
                }
                yield new byte[0];
            }
        };
    }

    /** One string value: JSON string, number (DS, IS) or PN object (PS3.18 F.2.2). */
    private static String text(int tag, VR vr, JsonNode node, String path, Context context)
            throws DicomReadException {
        if (node.isNull()) {
            return "";
        }
        if (vr == VR.PN && node.isObject()) {
            return new PersonName(groupText(node, "Alphabetic"), groupText(node, "Ideographic"),
                    groupText(node, "Phonetic")).toDicomString();
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node.isNumber()) {
            return node.decimalValue().toString();
        }
        if (node.isTextual()) {
            return ValueDecoder.trim(vr, node.textValue());
        }
        throw new DicomReadException(context.source, "value of " + Tag.toString(tag) + " " + vr + " at " + path
                + " is a JSON " + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
                + ", not a string");
    }

    private static String groupText(JsonNode name, String group) {
        JsonNode text = name.get(group);
        return text == null || text.isNull() ? "" : text.asText();
    }

    private static BigDecimal number(int tag, JsonNode node, String path, Context context)
            throws DicomReadException {
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            try {
                return new BigDecimal(node.textValue().trim());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new DicomReadException(context.source, "value of " + Tag.toString(tag) + " at " + path
                + " is not a number");
    }

    /**
     * An integer value. Its range is checked on the decimal before any conversion: 1e999999999 is a short JSON
     * number whose BigInteger would not fit in memory. UV above 2^63-1 wraps, as in the Part 10 reader.
     */
    private static long integer(int tag, JsonNode node, String path, Context context) throws DicomReadException {
        BigDecimal value = number(tag, node, path, context);
        if (value.compareTo(UNSIGNED_64_MAX) > 0 || value.compareTo(SIGNED_64_MIN) < 0) {
            throw new DicomReadException(context.source, "value of " + Tag.toString(tag) + " at " + path
                    + " is out of the 64-bit range");
        }
        if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
            throw new DicomReadException(context.source, "value of " + Tag.toString(tag) + " at " + path
                    + " is not an integer");
        }
        return value.toBigInteger().longValue();
    }

    /** InlineBinary (PS3.18 F.2.7): base64 of the little-endian value bytes, decoded like a Part 10 value. */
    private static Object inlineBinary(int tag, VR vr, JsonNode node, String path, Context context)
            throws DicomReadException {
        byte[] bytes;
        try {
            // line breaks are allowed in base64 text, anything else outside the alphabet is an error
            bytes = Base64.getDecoder().decode(node.asText().replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw new DicomReadException(context.source, "InlineBinary of " + Tag.toString(tag) + " at " + path
                    + " is not base64");
        }
        if (vr == VR.SQ) {
            throw new DicomReadException(context.source, "sequence " + Tag.toString(tag) + " at " + path
                    + " has InlineBinary");
        }
        return ValueDecoder.decode(tag, vr, bytes, 0, bytes.length, ByteOrder.LITTLE_ENDIAN,
                SpecificCharacterSet.UTF_8, context.warnings::add);
    }

    private static String abbreviate(String text) {
        return text.length() > 20 ? text.substring(0, 20) + "..." : text;
    }
}
