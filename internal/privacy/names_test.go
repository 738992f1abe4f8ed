package privacy

import "testing"

// TestScrubNames: people's names after a cue, and first and last names
// (issue 12).
func TestScrubNames(t *testing.T) {
	runScrubCases(t, []scrubCase{
		{"first last", "Maria Lopez helped me a lot", R + " helped me a lot", 1},
		{"officer", "Officer Smith took my kit", "Officer " + R + " took my kit", 1},
		{"officer lowercase", "the officer Brown was rude", "the officer " + R + " was rude", 1},
		{"dr dot", "Dr. Ana Ruiz is kind", "Dr. " + R + " is kind", 1},
		{"sra", "la Sra. Gómez me ayudó", "la Sra. " + R + " me ayudó", 1},
		{"my name is", "my name is maria lopez and i need help", "my name is " + R + " and i need help", 1},
		{"my name is caps", "MY NAME IS JOSE", "MY NAME IS " + R, 1},
		{"me llamo", "Me llamo Juan, gracias", "Me llamo " + R + ", gracias", 1},
		{"mi nombre es", "mi nombre es Rosa María Pérez García.", "mi nombre es " + R + ".", 1},
		{"name with particles", "Ask María de la Cruz", "Ask " + R, 1},
		{"possessive", "Maria Lopez's son", R + "'s son", 1},
		{"hyphenated surname", "Jose García-López came", R + " came", 1},
		{"intro", "Hi, I'm Maria and this place saved me", "Hi, I'm " + R + " and this place saved me", 1},
		{"soy", "soy Ana", "soy " + R, 1},
		{"relation", "my caseworker Tom was great", "my caseworker " + R + " was great", 1},
		{"relation es", "mi hermana Lupita me trajo", "mi hermana " + R + " me trajo", 1},
		{"ambiguous first name mid sentence", "ask for Hope Martinez", "ask for " + R, 1},
		{"ambiguous first name with surname", "Faith Johnson runs it", R + " runs it", 1},
		{"all caps", "MARIA LOPEZ HELPED", R + " HELPED", 1},
		{"call me", "call me Ishmael", "call me " + R, 1},
		{"name's", "My name's Ray and I'm new", "My name's " + R + " and I'm new", 1},

		// What must stay.
		{"hope house", "Hope House gave me a bed", "Hope House gave me a bed", 0},
		{"grace church", "We met at Grace Church.", "We met at Grace Church.", 0},
		{"faith", "I have Faith. Faith keeps me going", "I have Faith. Faith keeps me going", 0},
		{"will", "Will Medicaid pay for this?", "Will Medicaid pay for this?", 0},
		{"may", "May God bless the staff", "May God bless the staff", 0},
		{"june month", "in June the van came", "in June the van came", 0},
		{"dr visit", "my Dr. visit went fine, Dr. Appointment Tuesday", "my Dr. visit went fine, Dr. Appointment Tuesday", 0},
		{"name not given", "my name is not important", "my name is not important", 0},
		{"im tired", "I'm Tired of waiting", "I'm Tired of waiting", 0},
		{"this is hope house", "this is Hope House", "this is Hope House", 0},
		{"lone first name", "Maria at the desk was kind", "Maria at the desk was kind", 0},
		{"jesus christ", "Jesus Christ, the wait", "Jesus Christ, the wait", 0},
		{"esperanza", "Esperanza Centro es bueno", "Esperanza Centro es bueno", 0},
		{"call me back", "call me back please", "call me back please", 0},
		{"doctor lowercase", "the doctor said rest", "the doctor said rest", 0},
		{"line break ends a name", "Thanks Maria\nLopez st is far", "Thanks " + R + "\nLopez st is far", 1},
	})
}
