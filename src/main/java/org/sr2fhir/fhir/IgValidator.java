package org.sr2fhir.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import ca.uhn.fhir.util.BundleUtil;
import ca.uhn.fhir.util.bundle.BundleEntryParts;
import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.model.StructureDefinition;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates Bundles against the IG package (hl7.fhir.uv.dicom-sr, loaded from the classpath) and sr2fhir's own
 * extension definitions with HAPI's instance validator, chain per stack.md §5; R4 Bundles against R4 core and HL7's
 * cross-version subset package (decision D41). Expensive to build (~13 s: R5 core + the IG), so one per JVM and FHIR
 * version ({@link #shared(FhirVersionEnum)}), shared by the delivery's threads (decision D56). The two documented IG
 * defects (D15, D16) are reported apart from errors.
 */
public final class IgValidator {
    private static final Pattern ENTRY = Pattern.compile("^Bundle\\.entry\\[(\\d+)]");
    /** HL7 hl7.fhir.uv.xver-r5.r4, subset for the dicom-sr profiles (../shared/ig-r4, two fixes documented there). */
    static final String XVER_PACKAGE = "classpath:ig/hl7.fhir.uv.xver-r5.r4.dicomsr-subset-0.1.1.tgz";
    private static final Map<FhirVersionEnum, IgValidator> SHARED = new EnumMap<>(FhirVersionEnum.class);

    private final FhirContext fhir;
    private final FhirValidator validator;

    private IgValidator(FhirVersionEnum version) {
        this(version, ReusingInstanceValidator::new); // decision D55
    }

    private IgValidator(FhirVersionEnum version, Function<ValidationSupportChain, FhirInstanceValidator> module) {
        ValidationSupportChain chain;
        if (version == FhirVersionEnum.R5) {
            fhir = FhirContext.forR5Cached();
            NpmPackageValidationSupport ig = npm(fhir, "classpath:ig/hl7.fhir.uv.dicom-sr.tgz");
            chain = new ValidationSupportChain(new DefaultProfileValidationSupport(fhir), ig,
                    ownExtensions(fhir), new CommonCodeSystemsTerminologyService(fhir),
                    new InMemoryTerminologyServerValidationSupport(fhir),
                    new SnapshotGeneratingValidationSupport(fhir), new UnknownCodeSystemWarningValidationSupport(fhir));
        } else if (version == FhirVersionEnum.R4) {
            fhir = FhirContext.forR4Cached();
            // the xver package first: its DCM CodeSystem stub (content not-present) must win over R4 core's 2019 DCM
            // list, which lacks codes the IG uses; it carries its own R4-valid _datatype, so the full extensions
            // pack is not loaded (it would have to come after it: ../shared/ig-r4/README.md)
            NpmPackageValidationSupport xver = npm(fhir, XVER_PACKAGE);
            chain = new ValidationSupportChain(xver, new DefaultProfileValidationSupport(fhir), ownExtensions(fhir),
                    new CommonCodeSystemsTerminologyService(fhir), new InMemoryTerminologyServerValidationSupport(fhir),
                    new SnapshotGeneratingValidationSupport(fhir), new UnknownCodeSystemWarningValidationSupport(fhir));
        } else {
            throw new IllegalArgumentException("no validator for FHIR " + version);
        }
        validator = fhir.newValidator().registerValidatorModule(module.apply(chain));
    }

    private static NpmPackageValidationSupport npm(FhirContext fhir, String classpath) {
        NpmPackageValidationSupport npm = new NpmPackageValidationSupport(fhir);
        try {
            npm.loadPackageFromClasspath(classpath);
        } catch (IOException e) {
            throw new UncheckedIOException("the package " + classpath + " is missing from the classpath", e);
        }
        return npm;
    }

    /**
     * The StructureDefinitions of sr2fhir's own extensions ({@link Extensions}), so Bundles carrying them validate.
     * They are written in R5; for R4 they are converted, and an ImagingSelection context becomes Basic, the R4
     * carrier of a selection (decision D37).
     */
    private static PrePopulatedValidationSupport ownExtensions(FhirContext fhir) {
        PrePopulatedValidationSupport support = new PrePopulatedValidationSupport(fhir);
        FhirContext r5 = FhirContext.forR5Cached();
        for (String resource : Extensions.STRUCTURE_DEFINITIONS) {
            try (InputStream in = IgValidator.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("classpath resource " + resource + " is missing");
                }
                StructureDefinition definition = r5.newJsonParser().parseResource(StructureDefinition.class, in);
                if (fhir.getVersion().getVersion() == FhirVersionEnum.R4) {
                    definition.getContext().stream().filter(c -> "ImagingSelection".equals(c.getExpression()))
                            .forEach(c -> c.setExpression("Basic"));
                    definition.setFhirVersion(org.hl7.fhir.r5.model.Enumerations.FHIRVersion._4_0_1);
                    support.addStructureDefinition(VersionConvertorFactory_40_50.convertResource(definition));
                } else {
                    support.addStructureDefinition(definition);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(resource, e);
            }
        }
        return support;
    }

    /**
     * A validator with HAPI's own per-call set-up of the RI validator, as before decision D55: the baseline of
     * {@code ValidationBenchmark}, which shows what D55 saves.
     */
    static IgValidator withPerCallSetUp(FhirVersionEnum version) {
        return new IgValidator(version, FhirInstanceValidator::new);
    }

    /** The JVM's R5 validator, built on first use. */
    public static IgValidator shared() {
        return shared(FhirVersionEnum.R5);
    }

    /** The JVM's validator for {@code version} (R5 or R4), built on first use. */
    public static IgValidator shared(FhirVersionEnum version) {
        synchronized (SHARED) {
            return SHARED.computeIfAbsent(version, IgValidator::new);
        }
    }

    /** Validates every entry of {@code bundle} against the profiles it claims (decision D22). */
    public Report validate(IBaseBundle bundle) {
        ValidationResult result = result(bundle);
        List<BundleEntryParts> entries = BundleUtil.toListOfEntries(fhir, bundle);
        List<Issue> errors = new ArrayList<>();
        List<Issue> knownDefects = new ArrayList<>();
        List<Issue> warnings = new ArrayList<>();
        for (SingleValidationMessage message : result.getMessages()) {
            String location = message.getLocationString();
            BundleEntryParts entry = entry(entries, location);
            String fullUrl = entry == null ? null : entry.getFullUrl();
            String profile = entry == null ? null : profile(entry.getResource());
            Issue issue = new Issue(fullUrl, profile, message.getMessage(), location,
                    KnownDefect.of(profile, message.getMessage()));
            ResultSeverityEnum severity = message.getSeverity();
            if (severity == ResultSeverityEnum.ERROR || severity == ResultSeverityEnum.FATAL) {
                (issue.defect() != null ? knownDefects : errors).add(issue);
            } else if (severity == ResultSeverityEnum.WARNING) {
                warnings.add(issue);
            }
        }
        return new Report(errors, knownDefects, warnings);
    }

    /** HAPI's result, every message (informations too). */
    ValidationResult result(IBaseBundle bundle) {
        return validator.validateWithResult(bundle);
    }

    private static BundleEntryParts entry(List<BundleEntryParts> entries, String location) {
        Matcher m = location == null ? null : ENTRY.matcher(location);
        if (m == null || !m.find()) {
            return null;
        }
        int index = Integer.parseInt(m.group(1));
        return index < entries.size() ? entries.get(index) : null;
    }

    private static String profile(IBaseResource resource) {
        return resource == null || resource.getMeta().getProfile().isEmpty() ? null
                : resource.getMeta().getProfile().get(0).getValue();
    }

    /** The IG's own documented defects, which a correct mapping cannot avoid. */
    public enum KnownDefect {
        /** D15: region-in-space's sopClass pattern has a typo (11.2.840… for 1.2.840…481.3). */
        D15_REGION_IN_SPACE_SOP_CLASS,
        /** D16: derived-imaging-measurement's derivedFrom slices are both discriminated by type on reference. */
        D16_DERIVED_MEASUREMENT_SLICING;

        static KnownDefect of(String profile, String message) {
            if (profile == null || message == null) {
                return null;
            }
            if (profile.equals(Profiles.REGION_IN_SPACE) && (message.contains("rtStructureInstance")
                    || message.contains("11.2.840.10008.5.1.4.1.1.481.3"))) {
                return D15_REGION_IN_SPACE_SOP_CLASS;
            }
            if (profile.equals(Profiles.DERIVED_MEASUREMENT) && message.contains("derivedFrom")
                    || profile.equals(Profiles.DERIVED_MEASUREMENT) && message.contains("more than one slice")) {
                return D16_DERIVED_MEASUREMENT_SLICING;
            }
            return null;
        }
    }

    /** One validator message, located at the Bundle entry (fullUrl) and the profile that entry claims. */
    public record Issue(String fullUrl, String profile, String message, String location, KnownDefect defect) {
        @Override
        public String toString() {
            return (profile == null ? "" : profile.substring(profile.lastIndexOf('/') + 1) + " ") + location + ": "
                    + message;
        }
    }

    /**
     * The outcome of one validation: profile errors, errors caused by the documented IG defects (D15, D16), and
     * warnings (e.g. DICOM value sets the package cannot resolve).
     */
    public record Report(List<Issue> errors, List<Issue> knownDefects, List<Issue> warnings) {
        public Report {
            errors = List.copyOf(errors);
            knownDefects = List.copyOf(knownDefects);
            warnings = List.copyOf(warnings);
        }

        /** True when the only errors are the documented IG defects. */
        public boolean isValid() {
            return errors.isEmpty();
        }
    }
}
