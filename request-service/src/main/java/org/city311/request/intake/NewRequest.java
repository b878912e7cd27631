package org.city311.request.intake;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.city311.request.Channel;

/**
 * What staff send to file a request, on behalf of a resident or for their own department.
 *
 * @param requestingDepartment set for an internal request: the department asking another for a service
 * @param filedBy the staff member who files it: the caller; may be left out, and naming anyone else is refused
 */
public record NewRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+", message = "letters, digits, '.', '_' or '-'")
        String serviceCode,
        @Size(max = 4000) String description,
        @NotNull Channel channel,
        @Valid NewLocation location,
        @Valid NewResident resident,
        @Size(max = 50) Map<String, Object> attributes,
        @Size(max = 128) String filedBy,
        @Size(max = 64) @Pattern(regexp = "[a-z0-9][a-z0-9-]*", message = "a department code") String requestingDepartment,
        @Size(max = 10) List<@NotBlank @Size(max = 2000) @Pattern(regexp = "https?://[^\\s\\p{Cntrl}]+",
                message = "an absolute http or https URL") String> mediaUrls) {

    /** The same request, filed in this staff member's name (the caller's, from their token). */
    public NewRequest filedAs(String staffMember) {
        return new NewRequest(serviceCode, description, channel, location, resident, attributes, staffMember,
                requestingDepartment, mediaUrls);
    }

    public record NewLocation(
            @Size(max = 500) String address,
            @DecimalMin("-90") @DecimalMax("90") Double latitude,
            @DecimalMin("-180") @DecimalMax("180") Double longitude) {
    }

    public record NewResident(
            @Size(max = 100) String firstName,
            @Size(max = 100) String lastName,
            @Size(max = 40) @Pattern(regexp = "[0-9+()./ -]*", message = "digits, spaces and + ( ) . / - only") String phone,
            @Size(max = 254) @Email String email,
            Boolean consentToContact) {
    }
}
