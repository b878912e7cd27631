package org.city311.console.web;

import org.city311.console.signin.SignedIn;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The console's front door: a signed-in person goes to the page of their work, anyone else to the public pages. */
@Controller
class HomeController {

    @GetMapping("/")
    String home(@AuthenticationPrincipal OidcUser user) {
        return user == null ? "redirect:/departments" : "redirect:" + SignedIn.of(user).home();
    }

    @GetMapping("/signed-out")
    String signedOut() {
        return "signed-out";
    }
}
