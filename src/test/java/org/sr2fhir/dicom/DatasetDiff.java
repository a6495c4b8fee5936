package org.sr2fhir.dicom;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Element-by-element comparison of two datasets, for the twin and variant tests: lists every difference with its
 * path. DS/IS compare as numbers (BigDecimal.compareTo), FL/OF at float precision, binary by bytes, sequences item by
 * item. File Meta (group 0002) and Specific Character Set (0008,0005) are skipped: they describe how the bytes are
 * encoded, not the content (dcm2json transcodes to UTF-8 and writes ISO_IR 192; the __utf8 variants do the same).
 */
final class DatasetDiff {
    private final boolean compareVrs;
    private final List<String> differences = new ArrayList<>();

    private DatasetDiff(boolean compareVrs) {
        this.compareVrs = compareVrs;
    }

    /** Differences including VRs (where neither side is UN, which only says "not known here"). */
    static List<String> of(DicomDataset expected, DicomDataset actual) {
        return compare(expected, actual, true);
    }

    /** Differences of values only: for implicit VR variants, whose VRs come from a dictionary. */
    static List<String> ofValues(DicomDataset expected, DicomDataset actual) {
        return compare(expected, actual, false);
    }

    private static List<String> compare(DicomDataset expected, DicomDataset actual, boolean compareVrs) {
        DatasetDiff diff = new DatasetDiff(compareVrs);
        diff.dataset("", expected, actual);
        return diff.differences;
    }

    private void dataset(String path, DicomDataset expected, DicomDataset actual) {
        Iterator<DicomElement> left = withoutFileMeta(expected).iterator();
        Iterator<DicomElement> right = withoutFileMeta(actual).iterator();
        DicomElement a = next(left);
        DicomElement b = next(right);
        while (a != null || b != null) {
            if (b == null || a != null && Integer.compareUnsigned(a.tag(), b.tag()) < 0) {
                differences.add(path + Tag.toString(a.tag()) + " only in the first");
                a = next(left);
            } else if (a == null || Integer.compareUnsigned(b.tag(), a.tag()) < 0) {
                differences.add(path + Tag.toString(b.tag()) + " only in the second");
                b = next(right);
            } else {
                element(path + Tag.toString(a.tag()), a, b);
                a = next(left);
                b = next(right);
            }
        }
    }

    private static List<DicomElement> withoutFileMeta(DicomDataset dataset) {
        return dataset.elements().stream()
                .filter(e -> e.tag() >>> 16 != 0x0002 && e.tag() != Tag.SpecificCharacterSet).toList();
    }

    private static DicomElement next(Iterator<DicomElement> elements) {
        return elements.hasNext() ? elements.next() : null;
    }

    private void element(String path, DicomElement a, DicomElement b) {
        if (compareVrs && a.vr() != b.vr() && a.vr() != VR.UN && b.vr() != VR.UN) {
            differences.add(path + " VR " + a.vr() + " vs " + b.vr());
            return;
        }
        if (a.isEmpty() && b.isEmpty()) {
            return;
        }
        if (a.vr() == VR.SQ || b.vr() == VR.SQ) {
            List<DicomDataset> x = a.items();
            List<DicomDataset> y = b.items();
            if (x.size() != y.size()) {
                differences.add(path + " has " + x.size() + " vs " + y.size() + " items");
                return;
            }
            for (int i = 0; i < x.size(); i++) {
                dataset(path + "[" + i + "]", x.get(i), y.get(i));
            }
            return;
        }
        if (!sameValue(a, b)) {
            differences.add(path + " " + a.vr() + " " + describe(a.value()) + " vs " + describe(b.value()));
        }
    }

    private boolean sameValue(DicomElement a, DicomElement b) {
        Object x = a.value();
        Object y = b.value();
        if (!compareVrs && (a.vr() == VR.UN) != (b.vr() == VR.UN)) {
            // implicit VR cannot know a private element's VR: its UN bytes must be the other side's text, encoded
            DicomElement unknown = a.vr() == VR.UN ? a : b;
            DicomElement known = a.vr() == VR.UN ? b : a;
            if (known.vr().isString() && unknown.value() instanceof byte[] bytes) {
                return known.strings().equals(ValueDecoder.splitAndTrim(known.vr(),
                        new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)));
            }
        }
        if (x instanceof List<?> && y instanceof List<?>) {
            List<String> s = a.strings();
            List<String> t = b.strings();
            if (a.vr() == VR.DS || a.vr() == VR.IS) {
                return s.size() == t.size() && java.util.stream.IntStream.range(0, s.size())
                        .allMatch(i -> sameNumber(s.get(i), t.get(i)));
            }
            return s.equals(t);
        }
        if (x instanceof double[] d && y instanceof double[] e) {
            if (d.length != e.length) {
                return false;
            }
            boolean single = a.vr() == VR.FL || a.vr() == VR.OF || b.vr() == VR.FL || b.vr() == VR.OF;
            for (int i = 0; i < d.length; i++) {
                if (single ? (float) d[i] != (float) e[i] : Double.compare(d[i], e[i]) != 0) {
                    return false;
                }
            }
            return true;
        }
        if (x instanceof long[] l && y instanceof long[] m) {
            return Arrays.equals(l, m);
        }
        if (x instanceof int[] i && y instanceof int[] j) {
            return Arrays.equals(i, j);
        }
        if (x instanceof byte[] p && y instanceof byte[] q) {
            return Arrays.equals(p, q);
        }
        return Objects.equals(x, y);
    }

    private static boolean sameNumber(String x, String y) {
        if (x.isEmpty() || y.isEmpty()) {
            return x.isEmpty() && y.isEmpty();
        }
        try {
            return new BigDecimal(x.trim()).compareTo(new BigDecimal(y.trim())) == 0;
        } catch (NumberFormatException e) {
            return x.equals(y);
        }
    }

    private static String describe(Object value) {
        String text;
        if (value instanceof double[] d) {
            text = Arrays.toString(d);
        } else if (value instanceof long[] l) {
            text = Arrays.toString(l);
        } else if (value instanceof int[] i) {
            text = Arrays.toString(i);
        } else if (value instanceof byte[] b) {
            text = b.length + " bytes";
        } else {
            text = String.valueOf(value);
        }
        return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }
}
