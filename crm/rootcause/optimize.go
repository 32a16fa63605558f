package rootcause

import "math"

// fitReport says how a minimisation ended.
type fitReport struct {
	iterations int     // L-BFGS iterations done
	gradMax    float64 // largest gradient component at the end
	value      float64 // objective at the end
	converged  bool    // stopped because gradMax fell below the tolerance
}

// minimizeLBFGS minimises a smooth convex function with limited-memory
// BFGS (memory 7) and a backtracking Armijo line search. fg writes the
// gradient at x into g and returns the value. x is updated in place. It
// stops after maxIter iterations, when the largest gradient component is
// below gtol, when the line search fails, or when an iteration improves
// the value by less than a relative 1e-10, and reports how it ended.
// Everything is deterministic.
func minimizeLBFGS(fg func(x, g []float64) float64, x []float64, maxIter int, gtol float64) (rep fitReport) {
	const mem = 7
	n := len(x)
	g := make([]float64, n)
	f := fg(x, g)
	s := make([][]float64, 0, mem)
	y := make([][]float64, 0, mem)
	rho := make([]float64, 0, mem)
	alpha := make([]float64, mem)
	d := make([]float64, n)
	xNew := make([]float64, n)
	gNew := make([]float64, n)
	defer func() { rep.gradMax, rep.value = maxAbs(g), f }()
	for ; rep.iterations < maxIter; rep.iterations++ {
		if maxAbs(g) < gtol {
			rep.converged = true
			return rep
		}
		// Two-loop recursion: d = −H·g.
		copy(d, g)
		for i := len(s) - 1; i >= 0; i-- {
			alpha[i] = rho[i] * dot(s[i], d)
			axpy(-alpha[i], y[i], d)
		}
		gamma := 1 / math.Max(norm2(g), 1e-12)
		if k := len(s) - 1; k >= 0 {
			gamma = dot(s[k], y[k]) / dot(y[k], y[k])
		}
		scale(gamma, d)
		for i := range s {
			b := rho[i] * dot(y[i], d)
			axpy(alpha[i]-b, s[i], d)
		}
		scale(-1, d)
		gd := dot(g, d)
		if !(gd < 0) { // not a descent direction: restart from steepest descent
			copy(d, g)
			scale(-1/math.Max(norm2(g), 1e-12), d)
			gd = dot(g, d)
			s, y, rho = s[:0], y[:0], rho[:0]
		}
		step, fNew, ok := 1.0, 0.0, false
		for ls := 0; ls < 50; ls++ {
			for i := range x {
				xNew[i] = x[i] + step*d[i]
			}
			fNew = fg(xNew, gNew)
			if fNew <= f+1e-4*step*gd {
				ok = true
				break
			}
			step /= 2
		}
		if !ok {
			return rep
		}
		var sk, yk []float64
		if len(s) == mem { // recycle the oldest pair
			sk, yk = s[0], y[0]
			s, y, rho = append(s[:0], s[1:]...), append(y[:0], y[1:]...), append(rho[:0], rho[1:]...)
		} else {
			sk, yk = make([]float64, n), make([]float64, n)
		}
		for i := range x {
			sk[i] = xNew[i] - x[i]
			yk[i] = gNew[i] - g[i]
		}
		if sy := dot(sk, yk); sy > 1e-12 {
			s, y, rho = append(s, sk), append(y, yk), append(rho, 1/sy)
		}
		copy(x, xNew)
		copy(g, gNew)
		improved := f - fNew
		f = fNew
		if improved <= 1e-10*math.Max(1, math.Abs(f)) {
			rep.iterations++
			return rep
		}
	}
	rep.converged = maxAbs(g) < gtol
	return rep
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func axpy(a float64, x, y []float64) {
	for i := range x {
		y[i] += a * x[i]
	}
}

func scale(a float64, x []float64) {
	for i := range x {
		x[i] *= a
	}
}

func norm2(x []float64) float64 { return math.Sqrt(dot(x, x)) }

func maxAbs(x []float64) float64 {
	var m float64
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}
