package org.sr2fhir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class Sr2FhirApplication {
    public static void main(String[] args) {
        SpringApplication.run(Sr2FhirApplication.class, args);
    }
}
