package org.city311.identity.signin;

import org.city311.identity.IdentityProperties;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The sign-in form (Spring Security handles its POST): after a refused sign-in, the error is shown at the top. */
@Controller
class SignInPage {

    private final IdentityProperties properties;

    SignInPage(IdentityProperties properties) {
        this.properties = properties;
    }

    @GetMapping(SecurityConfiguration.SIGN_IN_PAGE)
    String signIn(@RequestParam(required = false) String error, @RequestParam(required = false) String logout,
            Model model) {
        model.addAttribute("failed", error != null);
        model.addAttribute("signedOut", logout != null);
        model.addAttribute("usersFile", properties.usersFile().getFileName().toString());
        return "sign-in";
    }
}
