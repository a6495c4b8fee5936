package org.sr2fhir.config;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;

/**
 * A URL setting that must be an absolute http or https URL (blank allowed: {@code @NotNull} says whether it is
 * required). A constraint on the setting itself, so the failure names the setting and its value (decision D73).
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = HttpUrl.Validator.class)
public @interface HttpUrl {
    String message() default "is not an http(s) URL";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<HttpUrl, URI> {
        @Override
        public boolean isValid(URI url, ConstraintValidatorContext context) {
            return url == null || isHttpUrl(url);
        }

        static boolean isHttpUrl(URI url) {
            return url.isAbsolute() && url.getHost() != null
                    && ("http".equals(url.getScheme()) || "https".equals(url.getScheme()));
        }
    }
}
