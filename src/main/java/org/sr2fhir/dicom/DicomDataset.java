package org.sr2fhir.dicom;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A DICOM dataset or sequence item: data elements in tag order, already decoded (see {@link DicomElement}).
 * Both the Part 10 reader and the DICOM JSON reader produce this model, so everything downstream is
 * independent of the encoding. Reader warnings (tolerated producer slips) travel with the top-level dataset.
 */
public final class DicomDataset {
    private final Map<Integer, DicomElement> elements = new TreeMap<>(Integer::compareUnsigned);
    private final List<String> warnings = new ArrayList<>();

    public void put(DicomElement element) {
        elements.put(element.tag(), element);
    }

    public DicomElement get(int tag) {
        return elements.get(tag);
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    /** True when the element is present and has a value. */
    public boolean hasValue(int tag) {
        DicomElement e = elements.get(tag);
        return e != null && !e.isEmpty();
    }

    public Collection<DicomElement> elements() {
        return Collections.unmodifiableCollection(elements.values());
    }

    public int size() {
        return elements.size();
    }

    /** The first value of a string element, or null when absent or empty. */
    public String getString(int tag) {
        List<String> values = getStrings(tag);
        return values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }

    /** All values of a string element (empty when absent). */
    public List<String> getStrings(int tag) {
        DicomElement e = elements.get(tag);
        return e == null ? List.of() : e.strings();
    }

    /** Items of a sequence (empty when absent). */
    public List<DicomDataset> getSequence(int tag) {
        DicomElement e = elements.get(tag);
        return e == null ? List.of() : e.items();
    }

    /** The first item of a sequence, or null. */
    public DicomDataset getItem(int tag) {
        List<DicomDataset> items = getSequence(tag);
        return items.isEmpty() ? null : items.get(0);
    }

    /** A DS element's values as exact decimals, as written (decision D13). */
    public List<BigDecimal> getDecimals(int tag) {
        return getStrings(tag).stream().filter(s -> !s.isBlank()).map(s -> new BigDecimal(s.trim())).toList();
    }

    /** The integer values of an IS, US, UL, SS, SL (or similar) element. */
    public long[] getLongs(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null) {
            return new long[0];
        }
        if (e.vr() == VR.IS || e.vr() == VR.DS) {
            return e.strings().stream().filter(s -> !s.isBlank()).mapToLong(s -> Long.parseLong(s.trim())).toArray();
        }
        return e.longs();
    }

    /** The first integer value, or null. */
    public Long getLong(int tag) {
        long[] values = getLongs(tag);
        return values.length == 0 ? null : values[0];
    }

    /** FL, FD, OF, OD values. */
    public double[] getDoubles(int tag) {
        DicomElement e = elements.get(tag);
        return e == null ? new double[0] : e.doubles();
    }

    /** A PN element's first value, or null. */
    public PersonName getPersonName(int tag) {
        String value = getString(tag);
        return value == null ? null : PersonName.parse(value);
    }

    public byte[] getBytes(int tag) {
        DicomElement e = elements.get(tag);
        return e == null ? new byte[0] : e.bytes();
    }

    public void addWarning(String warning) {
        warnings.add(warning);
    }

    /** Producer slips the reader tolerated (e.g. odd lengths, a missing character set with non-ASCII bytes). */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    @Override
    public String toString() {
        return "DicomDataset[" + elements.size() + " elements]";
    }
}
