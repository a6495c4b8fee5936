package org.sr2fhir.fhir;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.validation.IValidationContext;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.Element;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManager;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * HAPI's instance validator module, but each thread keeps its RI {@link InstanceValidator} across calls instead of
 * building one per call (decision D55): HAPI's ValidatorWrapper builds a new one for every Bundle, and each build
 * parses the RI's 1.5 MB OID registry and sets up a FHIRPath engine and profile utilities, 7.5 % of an R5 and 16 %
 * of an R4 validation of our Bundles, with nothing learnt from it. The RI validator is meant to validate input after
 * input (its CLI does), but it is not thread-safe, hence one per thread; its codings observer keeps every coding it
 * has seen, and with it the parsed Bundle, hence a fresh one every {@value #USES} Bundles (the build then costs
 * well under 1 % of a validation, and a thread holds at most that many parsed Bundles). Settings and message
 * filtering are those of HAPI's ValidatorWrapper (HAPI 8.6) for the case sr2fhir uses: JSON, no profile asked for on
 * the Bundle itself, unknown profiles made errors (HAPI's default, hence every call's case: D86); any other case is
 * left to HAPI's own path.
 */
final class ReusingInstanceValidator extends FhirInstanceValidator {
    static final int USES = 25;

    private final ThreadLocal<Reused> perThread = new ThreadLocal<>();

    private static final class Reused {
        private final InstanceValidator validator;
        private int uses;

        Reused(InstanceValidator validator) {
            this.validator = validator;
        }
    }

    ReusingInstanceValidator(IValidationSupport support) {
        super(support);
    }

    /** The cases left to HAPI's per-call path: XML, or a profile asked for on the Bundle itself. */
    boolean leftToHapi(IValidationContext<?> context) {
        return context.getResourceAsStringEncoding() != EncodingEnum.JSON
                || !context.getOptions().getProfiles().isEmpty()
                || context.getResource() instanceof IBaseResource claimed && !claimed.getMeta().getProfile().isEmpty();
    }

    @Override
    protected List<ValidationMessage> validate(IValidationContext<?> context) {
        if (leftToHapi(context)) {
            return super.validate(context);
        }
        Reused reused = perThread.get();
        if (reused == null || reused.uses >= USES) {
            reused = new Reused(newInstanceValidator());
            perThread.set(reused);
        }
        reused.uses++;
        List<ValidationMessage> messages = new ArrayList<>();
        reused.validator.validate(context.getOptions().getAppContext(), messages,
                new ByteArrayInputStream(context.getResourceAsString().getBytes(StandardCharsets.UTF_8)),
                Manager.FhirFormat.JSON, new ArrayList<>()); // mutable, as HAPI's: the RI may add an implied profile
        // the messages HAPI's ValidatorWrapper drops: bindings without a source, the mimetypes value set
        List<ValidationMessage> kept = messages.stream().filter(m -> m.getMessageId() == null
                || !(m.getMessageId().equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE)
                || m.getMessageId().equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE2)
                || m.getMessageId().equals(I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND)
                && m.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes"))).toList();
        if (isErrorForUnknownProfiles()) {
            // as ValidatorWrapper: a profile an entry claims that the validator does not know is an error
            kept.stream().filter(m -> m.getLevel() == ValidationMessage.IssueSeverity.WARNING
                    && (I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN.equals(m.getMessageId())
                    || I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY.equals(m.getMessageId())))
                    .forEach(m -> m.setLevel(ValidationMessage.IssueSeverity.ERROR));
        }
        return kept;
    }

    /** Configured as HAPI's ValidatorWrapper configures its per-call one. */
    private InstanceValidator newInstanceValidator() {
        InstanceValidator v;
        try {
            v = new PerBundleStatusHints(provideWorkerContext(), new NullEvaluationContext(),
                    new XVerExtensionManagerOld(provideWorkerContext()),
                    new ValidatorSession(), new ValidatorSettings());
        } catch (Exception e) {
            throw new IllegalStateException("the FHIR instance validator cannot be built", e);
        }
        v.setAssumeValidRestReferences(isAssumeValidRestReferences());
        v.setBestPracticeWarningLevel(getBestPracticeWarningLevel());
        v.setAnyExtensionsAllowed(isAnyExtensionsAllowed());
        v.setResourceIdRule(IdStatus.OPTIONAL);
        v.setNoTerminologyChecks(isNoTerminologyChecks());
        v.setErrorForUnknownProfiles(isErrorForUnknownProfiles());
        // as HAPI: its UnknownCodeSystemWarningValidationSupport turns these into warnings
        v.setUnknownCodeSystemsCauseErrors(true);
        v.getExtensionDomains().addAll(getExtensionDomains());
        v.setFetcher(getValidatorResourceFetcher());
        v.setPolicyAdvisor(getValidatorPolicyAdvisor());
        v.setNoExtensibleWarnings(isNoExtensibleWarnings());
        v.setNoBindingMsgSuppressed(isNoBindingMsgSuppressed());
        v.setAllowExamples(isAllowExamples());
        v.setAllowXsiLocation(true);
        return v;
    }

    /**
     * The RI validator, but the hints it gives once per validator (a definition used is deprecated, withdrawn or
     * retired: BaseValidator.checkDefinitionStatus) are given once per Bundle again, as by HAPI's validator per call
     * (D86); the rest of its state it resets itself at each Bundle.
     */
    private static final class PerBundleStatusHints extends InstanceValidator {
        PerBundleStatusHints(IWorkerContext context, IHostApplicationServices host, XVerExtensionManager xver,
                ValidatorSession session, ValidatorSettings settings) {
            super(context, host, xver, session, settings);
        }

        @Override
        public void validate(Object appContext, List<ValidationMessage> errors, String path, Element element,
                List<StructureDefinition> profiles) {
            statusWarnings.clear();
            super.validate(appContext, errors, path, element, profiles);
        }
    }
}
