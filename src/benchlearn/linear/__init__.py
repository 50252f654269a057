"""Linear models: LinearRegression, PolynomialRegression, Ridge, their solvers and inference."""
