package org.sr2fhir.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Patient;
import org.junit.jupiter.api.Test;

/** The test server is a real R5 server: it takes a transaction, answers searches, and can go down and come back. */
class FhirTestServerIT {

    @Test
    void acceptsTransactionsAndSurvivesStopStart() {
        FhirTestServer server = FhirTestServer.shared();
        IGenericClient client = FhirContext.forR5Cached().newRestfulGenericClient(server.baseUrl());

        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Patient patient = new Patient().addIdentifier(new Identifier().setSystem("urn:test:pid").setValue("FTS-1"));
        transaction.addEntry().setFullUrl("urn:uuid:7d1b2c2e-0f0e-4c7b-9e52-000000000001").setResource(patient)
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient")
                .setIfNoneExist("identifier=urn:test:pid|FTS-1");
        Bundle response = client.transaction().withBundle(transaction).execute();
        assertThat(response.getEntryFirstRep().getResponse().getStatus()).startsWith("201");

        server.stop();
        assertThatThrownBy(() -> client.search().forResource(Patient.class).returnBundle(Bundle.class).execute())
                .isInstanceOf(FhirClientConnectionException.class);
        server.start();

        Bundle found = client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndIdentifier("urn:test:pid", "FTS-1"))
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).hasSize(1);
    }
}
