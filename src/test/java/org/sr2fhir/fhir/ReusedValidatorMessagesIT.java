package org.sr2fhir.fhir;

import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sr2fhir.InputRejectedException;
import org.sr2fhir.r4.R4Renderer;
import org.sr2fhir.tid1500.MeasurementReport;
import org.sr2fhir.tid1500.ReportCorpus;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RI validator each thread reuses (decisions D55, D86) gives every Bundle the messages HAPI's validator built
 * per call gives it, message by message (severity, location, text, informations included): the corpus and the
 * producer fixtures validated one after the other, so each reused RI validator has validated up to
 * {@link ReusingInstanceValidator#USES} Bundles before. Slow (two validators per version), hence an IT.
 */
class ReusedValidatorMessagesIT {

    @ParameterizedTest
    @EnumSource(value = FhirVersionEnum.class, names = {"R5", "R4"})
    void reusedValidatorGivesTheMessagesOfOneBuiltPerCall(FhirVersionEnum version) {
        List<IBaseBundle> bundles = bundles(version);
        IgValidator perCall = IgValidator.withPerCallSetUp(version);
        IgValidator reused = IgValidator.shared(version);
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < bundles.size(); i++) {
            expected.addAll(lines(i, perCall.result(bundles.get(i)).getMessages()));
            actual.addAll(lines(i, reused.result(bundles.get(i)).getMessages()));
        }
        assertThat(bundles).hasSizeGreaterThan(2 * ReusingInstanceValidator.USES);
        assertThat(expected).anyMatch(line -> line.contains(ResultSeverityEnum.INFORMATION.name()));
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    private static List<String> lines(int bundle, List<SingleValidationMessage> messages) {
        return messages.stream().map(m -> bundle + " " + m.getSeverity() + " " + m.getLocationString() + " "
                + m.getMessage()).toList();
    }

    private static List<IBaseBundle> bundles(FhirVersionEnum version) {
        ReportMapper mapper = new ReportMapper(MappingSettings.defaults(), CorpusConversionTest.EVERY_STUDY_KNOWN);
        R4Renderer renderer = new R4Renderer();
        List<IBaseBundle> bundles = new ArrayList<>();
        for (MeasurementReport report : ReportCorpus.readableWithFixtures().values()) {
            try {
                org.hl7.fhir.r5.model.Bundle bundle = mapper.convert(report);
                bundles.add(version == FhirVersionEnum.R5 ? bundle : renderer.render(bundle));
            } catch (InputRejectedException e) {
                // reports with nothing to map: asserted by CorpusConversionTest and ProducerFixturesTest
            }
        }
        return bundles;
    }
}
